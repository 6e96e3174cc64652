# Writes OUT: a C++ source defining tripsim::embedded::SYMBOL as the text of IN (a raw string
# literal; the data files never contain the delimiter).
file(READ ${IN} content)
file(WRITE ${OUT} "#if defined(__clang__)\n#pragma clang diagnostic ignored \"-Woverlength-strings\"\n#endif\n#include <string_view>\nnamespace tripsim::embedded {\nextern const std::string_view ${SYMBOL};\nconst std::string_view ${SYMBOL} = R\"tripsim_embed(${content})tripsim_embed\";\n}  // namespace tripsim::embedded\n")
