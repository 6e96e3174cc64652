// QR codes as PNG images (libqrencode for the symbol, libpng for the image).
//
//   Result<std::string> png = QrPng("https://esim.example.com/redeem/K7Q2-M9XD-4TPA");
#pragma once

#include <string>
#include <string_view>

#include "tripsim/base/status.h"

namespace tripsim::render {

// A black-on-white PNG of the QR code of `text` (error correction M), `scale` pixels per
// module, with the standard four-module quiet zone.
Result<std::string> QrPng(std::string_view text, int scale = 6);

}  // namespace tripsim::render
