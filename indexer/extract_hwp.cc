// extract_hwp.cc: HWP 5.0 (OLE compound file) to text blocks: the paragraph-text records of BodyText/Section*.
//
// Layout read here (Hancom's published HWP 5.0 format): the FileHeader
// stream starts with "HWP Document File", then the version (u32 at 32) and
// property flags (u32 at 36: bit 0 compressed, bit 1 password, bit 2
// distribution document). Each BodyText/SectionN stream is a sequence of
// records, raw-deflate compressed when bit 0 is set, read by hwp_records.h
// (paragraph text, empty click-here fields' guides, drawing objects'
// descriptions). Tables, headers, footers and text boxes keep their
// paragraphs in the same stream, so they are read in stream order.
#include <glib.h>
#include <gsf/gsf-infile-msole.h>
#include <gsf/gsf-infile.h>
#include <gsf/gsf-input-memory.h>
#include <gsf/gsf-input.h>
#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <ctime>
#include <memory>
#include <mutex>

#include "indexer/formats.h"
#include "indexer/hwp_records.h"

namespace bisearch::indexer {
namespace {

constexpr uint32_t kFlagCompressed = 1u << 0;
constexpr uint32_t kFlagPassword = 1u << 1;
constexpr uint32_t kFlagDistribution = 1u << 2;

struct Unref {
  void operator()(void* p) const { g_object_unref(p); }
};
using InputPtr = std::unique_ptr<GsfInput, Unref>;
using InfilePtr = std::unique_ptr<GsfInfile, Unref>;

[[noreturn]] void damaged(const std::string& why) { throw FormatError(ProblemKind::kDamaged, why); }

void quiet_libgsf() {
  static std::once_flag once;
  std::call_once(once, [] {
    const auto drop = [](const gchar*, GLogLevelFlags, const gchar*, gpointer) {};
    // libgsf's msole reader logs without a domain.
    for (const char* domain : {static_cast<const char*>(nullptr), "libgsf:msole", "libgsf", "GLib-GObject"})
      g_log_set_handler(domain, static_cast<GLogLevelFlags>(G_LOG_LEVEL_WARNING | G_LOG_LEVEL_CRITICAL |
                                                            G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO | G_LOG_LEVEL_DEBUG),
                        drop, nullptr);
  });
}

uint32_t u32(std::string_view b, size_t at) {
  if (at + 4 > b.size()) return 0;
  return static_cast<uint32_t>(static_cast<unsigned char>(b[at])) |
         static_cast<uint32_t>(static_cast<unsigned char>(b[at + 1])) << 8 |
         static_cast<uint32_t>(static_cast<unsigned char>(b[at + 2])) << 16 |
         static_cast<uint32_t>(static_cast<unsigned char>(b[at + 3])) << 24;
}

// The whole stream @p in, at most @p cap bytes.
std::string read_stream(GsfInput* in, const std::string& name, uint64_t cap) {
  const gsf_off_t size = gsf_input_size(in);
  if (size < 0) damaged(name + ": unreadable stream (truncated or damaged file)");
  if (static_cast<uint64_t>(size) > cap)
    throw FormatError(ProblemKind::kTooLarge, name + ": stream of " + std::to_string(size) + " bytes; not indexed");
  std::string out(static_cast<size_t>(size), '\0');
  size_t done = 0;
  while (done < out.size()) {
    const size_t n = std::min<size_t>(out.size() - done, 1 << 16);
    if (!gsf_input_read(in, n, reinterpret_cast<guint8*>(out.data() + done)))
      damaged(name + ": unreadable stream (truncated or damaged file)");
    done += n;
  }
  return out;
}

// Raw-deflate data inflated within the limits.
std::string inflate_raw(std::string_view in, const std::string& name, const FormatLimits& limits, uint64_t* total) {
  z_stream zs{};
  if (inflateInit2(&zs, -15) != Z_OK) throw std::bad_alloc();
  const uint64_t cap = std::min<uint64_t>(limits.max_part_bytes, std::max<uint64_t>(in.size(), 1024) * limits.max_ratio);
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  std::string out;
  char buf[1 << 16];
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof buf;
    rc = inflate(&zs, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      inflateEnd(&zs);
      if (rc == Z_BUF_ERROR) damaged(name + ": compressed stream is truncated");
      damaged(name + ": corrupt compressed data" + (zs.msg ? std::string(" (") + zs.msg + ")" : ""));
    }
    out.append(buf, sizeof buf - zs.avail_out);
    if (out.size() > cap || *total + out.size() > limits.max_total_bytes) {
      inflateEnd(&zs);
      throw FormatError(ProblemKind::kTooLarge, name + ": inflates past " +
                                                    std::to_string(std::min(cap, limits.max_total_bytes) >> 10) +
                                                    " KiB (compression bomb?); not indexed");
    }
  }
  inflateEnd(&zs);
  *total += out.size();
  return out;
}

// "Section12" -> 12; -1 for other names.
long section_number(const char* name) {
  if (!name || std::strncmp(name, "Section", 7) != 0) return -1;
  const char* d = name + 7;
  if (!*d || std::strlen(d) > 6) return -1;
  long n = 0;
  for (; *d; ++d) {
    if (!std::isdigit(static_cast<unsigned char>(*d))) return -1;
    n = n * 10 + (*d - '0');
  }
  return n;
}

// Title and creation date from the "\x05HwpSummaryInformation" property set.
void read_summary(std::string_view s, Extracted* out) {
  if (s.size() < 48 || u32(s, 24) == 0) return;
  const size_t sec = u32(s, 44);
  if (sec + 8 > s.size()) return;
  const uint32_t count = u32(s, sec + 4);
  for (uint32_t k = 0; k < count && k < 256; ++k) {
    const size_t entry = sec + 8 + 8 * static_cast<size_t>(k);
    if (entry + 8 > s.size()) return;
    const uint32_t id = u32(s, entry);
    const size_t at = sec + u32(s, entry + 4);
    if (at + 8 > s.size()) continue;
    const uint32_t type = u32(s, at);
    if (id == 2 && type == 0x1F) {  // PIDSI_TITLE, VT_LPWSTR
      const size_t chars = u32(s, at + 4);
      if (chars > (s.size() - at - 8) / 2) continue;
      out->title = hwp_paragraph_text(reinterpret_cast<const unsigned char*>(s.data() + at + 8), chars, {});
    } else if (id == 12 && type == 0x40) {  // PIDSI_CREATE_DTM, VT_FILETIME
      const uint64_t ft = u32(s, at + 4) | static_cast<uint64_t>(u32(s, at + 8)) << 32;
      if (ft < 116444736000000000ULL) continue;
      const time_t t = static_cast<time_t>((ft - 116444736000000000ULL) / 10000000ULL);
      struct tm tm {};
      char date[16];
      if (gmtime_r(&t, &tm) && strftime(date, sizeof date, "%Y-%m-%d", &tm)) out->date = date;
    }
  }
}

}  // namespace

void extract_hwp(std::string_view bytes, const FormatLimits& limits, Extracted* out) {
  quiet_libgsf();
  InputPtr mem(gsf_input_memory_new(reinterpret_cast<const guint8*>(bytes.data()),
                                    static_cast<gsf_off_t>(bytes.size()), FALSE));
  if (!mem) throw std::bad_alloc();
  GError* err = nullptr;
  InfilePtr ole(gsf_infile_msole_new(mem.get(), &err));
  if (!ole) {
    const std::string why = err && err->message ? err->message : "unknown error";
    if (err) g_error_free(err);
    damaged("damaged OLE compound file (" + why + ")");
  }
  InputPtr header_stream(gsf_infile_child_by_name(ole.get(), "FileHeader"));
  if (!header_stream) {
    bool listed = false;
    for (int i = 0; i < gsf_infile_num_children(ole.get()); ++i) {
      const char* name = gsf_infile_name_by_index(ole.get(), i);
      listed |= name && std::strcmp(name, "FileHeader") == 0;
    }
    damaged(listed ? "FileHeader: unreadable stream (truncated or damaged file)"
                   : "an OLE compound file without a FileHeader stream: not an HWP 5.0 document");
  }
  const std::string header = read_stream(header_stream.get(), "FileHeader", 4096);
  if (header.size() < 40 || !header.starts_with("HWP Document File"))
    damaged("an OLE compound file that is not an HWP 5.0 document (no \"HWP Document File\" signature)");
  const uint32_t flags = u32(header, 36);
  if (flags & kFlagPassword)
    throw FormatError(ProblemKind::kNotIndexable, "password-protected HWP document: its text is encrypted; not indexable");
  InputPtr view_text(gsf_infile_child_by_name(ole.get(), "ViewText"));
  if ((flags & kFlagDistribution) || view_text)
    throw FormatError(ProblemKind::kNotIndexable,
                      "distribution (배포용) HWP document: its text is encrypted in ViewText, BodyText holds only a "
                      "notice; not indexable");
  if (InputPtr summary{gsf_infile_child_by_name(ole.get(), "\x05HwpSummaryInformation")})
    read_summary(read_stream(summary.get(), "HwpSummaryInformation", 1 << 20), out);

  InputPtr body_input(gsf_infile_child_by_name(ole.get(), "BodyText"));
  if (!body_input || !GSF_IS_INFILE(body_input.get())) damaged("HWP document without a BodyText storage");
  GsfInfile* body = GSF_INFILE(body_input.get());
  std::vector<std::pair<long, int>> sections;  // number, child index
  const int children = gsf_infile_num_children(body);
  for (int i = 0; i < children; ++i) {
    const long n = section_number(gsf_infile_name_by_index(body, i));
    if (n >= 0) sections.emplace_back(n, i);
  }
  if (sections.empty()) damaged("HWP document without BodyText/Section streams");
  if (sections.size() > limits.max_parts)
    throw FormatError(ProblemKind::kTooLarge, "more than " + std::to_string(limits.max_parts) + " sections");
  std::sort(sections.begin(), sections.end());
  out->unit = "section";
  uint64_t total = 0;
  for (const auto& [number, index] : sections) {
    const std::string name = "BodyText/Section" + std::to_string(number);
    InputPtr stream(gsf_infile_child_by_index(body, index));
    if (!stream) damaged(name + ": unreadable stream (truncated or damaged file)");
    std::string data = read_stream(stream.get(), name, limits.max_part_bytes);
    if (flags & kFlagCompressed) data = inflate_raw(data, name, limits, &total);
    read_hwp_records(data, name, static_cast<uint32_t>(number + 1), limits, out);
  }
}

}  // namespace bisearch::indexer
