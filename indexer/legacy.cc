// legacy.cc: CP949/EUC-KR detection and conversion with ICU's converters.
#include "indexer/legacy.h"

#include <unicode/ucnv.h>
#include <unicode/ucnv_err.h>
#include <unicode/unistr.h>
#include <unicode/utf16.h>

#include <memory>
#include <vector>

namespace bisearch::indexer {
namespace {

struct ConverterCloser {
  void operator()(UConverter* c) const { ucnv_close(c); }
};

bool is_hangul(UChar32 c) {
  return (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0x1100 && c <= 0x11FF) || (c >= 0x3130 && c <= 0x318F);
}

// True when every two-byte sequence is in EUC-KR's range.
bool euc_kr_only(std::string_view bytes) {
  for (size_t i = 0; i < bytes.size(); ++i) {
    const auto b = static_cast<unsigned char>(bytes[i]);
    if (b < 0x80) continue;
    if (i + 1 >= bytes.size()) return false;
    const auto t = static_cast<unsigned char>(bytes[i + 1]);
    if (b < 0xA1 || b > 0xFE || t < 0xA1 || t > 0xFE) return false;
    ++i;
  }
  return true;
}

}  // namespace

std::optional<LegacyText> decode_korean_legacy(std::string_view bytes, std::string* why) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<UConverter, ConverterCloser> cnv(ucnv_open("windows-949", &status));
  if (U_FAILURE(status)) {
    *why = std::string("no CP949 converter in ICU (") + u_errorName(status) + ")";
    return std::nullopt;
  }
  ucnv_setToUCallBack(cnv.get(), UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);
  std::vector<UChar> out(bytes.size() + 1);
  status = U_ZERO_ERROR;
  const int32_t n = ucnv_toUChars(cnv.get(), out.data(), static_cast<int32_t>(out.size()), bytes.data(),
                                  static_cast<int32_t>(bytes.size()), &status);
  if (U_FAILURE(status)) {
    *why = "does not decode as CP949 either";
    return std::nullopt;
  }
  size_t non_ascii = 0, hangul = 0;
  for (int32_t i = 0; i < n;) {
    UChar32 c;
    U16_NEXT(out.data(), i, n, c);
    if (c < 0x80) continue;
    ++non_ascii;
    if (is_hangul(c)) ++hangul;
  }
  if (hangul < kMinHangul) {
    *why = "too little Hangul to tell";
    return std::nullopt;
  }
  if (static_cast<double>(hangul) < kMinHangulShare * static_cast<double>(non_ascii)) {
    *why = "decodes as CP949 but is not Korean text (" + std::to_string(hangul) + " of " +
           std::to_string(non_ascii) + " non-ASCII characters are Hangul)";
    return std::nullopt;
  }
  LegacyText t;
  icu::UnicodeString(out.data(), n).toUTF8String(t.utf8);
  t.encoding = euc_kr_only(bytes) ? "EUC-KR" : "CP949";
  return t;
}

}  // namespace bisearch::indexer
