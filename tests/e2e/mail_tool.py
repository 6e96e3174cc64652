#!/usr/bin/python3
"""Summarizes an .eml file as JSON for the tests: headers, the text and HTML parts, and the
inline images (written next to it as <file>.<n>.png).

Usage: mail_tool.py FILE
"""
import email
import email.policy
import json
import sys

path = sys.argv[1]
with open(path, "rb") as f:
    msg = email.message_from_binary_file(f, policy=email.policy.default)
out = {"subject": str(msg["Subject"]), "message_id": str(msg["Message-ID"]),
       "to": str(msg["To"]), "from": str(msg["From"]), "content_type": msg.get_content_type(),
       "text": "", "html": "", "images": []}
for part in msg.walk():
    ctype = part.get_content_type()
    if ctype == "text/plain":
        out["text"] = part.get_content()
    elif ctype == "text/html":
        out["html"] = part.get_content()
    elif ctype == "image/png":
        name = f"{path}.{len(out['images']) + 1}.png"
        with open(name, "wb") as f:
            f.write(part.get_payload(decode=True))
        out["images"].append({"file": name, "content_id": str(part["Content-ID"])})
print(json.dumps(out))
