#include "tripsim/render/qr.h"

#include <png.h>
#include <qrencode.h>

#include <cstring>
#include <memory>
#include <vector>

namespace tripsim::render {
namespace {

void AppendToString(png_structp png, png_bytep data, png_size_t length) {
  auto* out = static_cast<std::string*>(png_get_io_ptr(png));
  out->append(reinterpret_cast<const char*>(data), length);
}

void NoFlush(png_structp) {}

// Writes the code as a one-bit grayscale PNG (white = 1) into `out`: an eighth of the bytes to
// filter and deflate of an 8-bit image. Each row is filtered against the row above ("Up"), so
// the `scale` copies of a module row are zeros that deflate takes at once: 119 us a code
// instead of 183 unfiltered, for 632 bytes instead of 470 (bench/render_bench). The whole
// image is a few KiB, so deflate's window and hash tables are sized for that, not for 32 KiB. `row`
// is scratch space of (size + 7) / 8 bytes. False when libpng failed.
bool WritePng(const QRcode& qr, int quiet, int scale, std::vector<png_byte>& row,
              std::string& out) {
  const int size = (qr.width + 2 * quiet) * scale;
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png ? png_create_info_struct(png) : nullptr;
  if (png == nullptr || info == nullptr) {
    png_destroy_write_struct(&png, &info);
    return false;
  }
  if (setjmp(png_jmpbuf(png))) {  // libpng reports errors by longjmp
    png_destroy_write_struct(&png, &info);
    return false;
  }
  png_set_write_fn(png, &out, &AppendToString, &NoFlush);
  png_set_IHDR(png, info, static_cast<png_uint_32>(size), static_cast<png_uint_32>(size), 1,
               PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
               PNG_FILTER_TYPE_DEFAULT);
  png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_UP);
  png_set_compression_window_bits(png, 13);  // 8 KiB
  png_set_compression_mem_level(png, 4);
  png_write_info(png, info);
  // Each module row is `scale` identical pixel rows: packed once, written `scale` times.
  for (int my = -quiet; my < qr.width + quiet; ++my) {
    std::memset(row.data(), 0, row.size());
    for (int x = 0; x < size; ++x) {
      const int mx = x / scale - quiet;
      const bool dark = mx >= 0 && my >= 0 && mx < qr.width && my < qr.width &&
                        (qr.data[my * qr.width + mx] & 1) != 0;
      if (!dark) row[static_cast<size_t>(x / 8)] |= static_cast<png_byte>(0x80 >> (x % 8));
    }
    for (int i = 0; i < scale; ++i) png_write_row(png, row.data());
  }
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  return true;
}

}  // namespace

Result<std::string> QrPng(std::string_view text, int scale) {
  std::string input(text);
  std::unique_ptr<QRcode, decltype(&QRcode_free)> qr(
      QRcode_encodeString(input.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1), &QRcode_free);
  if (!qr) return Internal("QR encoding failed");
  const int quiet = 4;
  std::vector<png_byte> row(static_cast<size_t>(((qr->width + 2 * quiet) * scale + 7) / 8));
  std::string out;
  if (!WritePng(*qr, quiet, scale, row, out)) return Internal("PNG encoding failed");
  return out;
}

}  // namespace tripsim::render
