#include "core/json.h"

#include <rapidjson/error/en.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <string>

namespace mm {

size_t FindExcessiveNesting(std::string_view text, int max_depth, bool skip_json_strings) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"' && skip_json_strings) {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return i;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return std::string_view::npos;
}

namespace {

// RapidJSON 1.1's full-precision number parser returns garbage for some numbers ("0e-76" reads as
// 1.6e237, "184467440737095516156" as -2.0e264: DiyFp::Normalize is handed a zero significand and
// calls clz(0); found by json_fuzzer). So numbers come from the reader as text and are converted
// here, with the reader's choice of type: integers as Int/Uint/Int64/Uint64 when they fit, the
// rest as a correctly rounded double (std::from_chars). Everything else goes to the document.
//
// With a `max_depth`, it also refuses nesting deeper than that (too_deep() then says why the parse
// stopped): a parse in place cannot look at its text before the reader has rewritten it.
class ExactNumbers {
 public:
  explicit ExactNumbers(rapidjson::Document& document,
                        int max_depth = std::numeric_limits<int>::max())
      : document_(document), max_depth_(max_depth) {}

  bool too_deep() const { return depth_ > max_depth_; }

  bool RawNumber(const char* text, rapidjson::SizeType length, bool /*copy*/) {
    std::string_view number(text, length);
    const char* end = text + length;
    bool integer = number.find_first_of(".eE") == std::string_view::npos;
    if (integer && number.front() == '-') {
      int64_t value = 0;
      if (auto [ptr, error] = std::from_chars(text, end, value);
          error == std::errc() && ptr == end) {
        return value >= std::numeric_limits<int32_t>::min() ? document_.Int(static_cast<int>(value))
                                                            : document_.Int64(value);
      }
    } else if (integer) {
      uint64_t value = 0;
      if (auto [ptr, error] = std::from_chars(text, end, value);
          error == std::errc() && ptr == end) {
        return value <= std::numeric_limits<uint32_t>::max()
                   ? document_.Uint(static_cast<unsigned>(value))
                   : document_.Uint64(value);
      }
    }
    double value = 0;
    auto [ptr, error] = std::from_chars(text, end, value);
    if (error == std::errc::result_out_of_range) {
      // As RapidJSON: too big is an error, too small (a negative exponent) is a signed zero.
      size_t exponent = number.find_first_of("eE");
      bool tiny = exponent != std::string_view::npos && exponent + 1 < number.size() &&
                  number[exponent + 1] == '-';
      return tiny && document_.Double(number.front() == '-' ? -0.0 : 0.0);
    }
    return ptr == end && document_.Double(value);
  }
  bool Null() { return document_.Null(); }
  bool Bool(bool b) { return document_.Bool(b); }
  bool Int(int i) { return document_.Int(i); }
  bool Uint(unsigned u) { return document_.Uint(u); }
  bool Int64(int64_t i) { return document_.Int64(i); }
  bool Uint64(uint64_t u) { return document_.Uint64(u); }
  bool Double(double d) { return document_.Double(d); }
  bool String(const char* s, rapidjson::SizeType n, bool copy) {
    return document_.String(s, n, copy);
  }
  bool StartObject() { return ++depth_ <= max_depth_ && document_.StartObject(); }
  bool Key(const char* s, rapidjson::SizeType n, bool copy) { return document_.Key(s, n, copy); }
  bool EndObject(rapidjson::SizeType members) {
    --depth_;
    return document_.EndObject(members);
  }
  bool StartArray() { return ++depth_ <= max_depth_ && document_.StartArray(); }
  bool EndArray(rapidjson::SizeType elements) {
    --depth_;
    return document_.EndArray(elements);
  }

 private:
  rapidjson::Document& document_;
  int max_depth_;
  int depth_ = 0;
};

// Feeds `text` through the reader into the document (rapidjson::Document::Populate's generator).
struct ExactParse {
  std::string_view text;
  rapidjson::ParseResult result;

  bool operator()(rapidjson::Document& document) {
    ExactNumbers handler(document);
    rapidjson::MemoryStream stream(text.data(), text.size());
    rapidjson::EncodedInputStream<rapidjson::UTF8<>, rapidjson::MemoryStream> input(stream);
    rapidjson::Reader reader;
    result = reader.Parse<rapidjson::kParseNumbersAsStringsFlag | rapidjson::kParseIterativeFlag>(
        input, handler);
    return !result.IsError();
  }
};

// Parses the NUL-terminated `text` in place (rapidjson's insitu mode), refusing nesting deeper
// than kMaxJsonDepth as it goes.
struct InPlaceParse {
  char* text;
  rapidjson::ParseResult result;
  bool too_deep = false;

  bool operator()(rapidjson::Document& document) {
    ExactNumbers handler(document, kMaxJsonDepth);
    rapidjson::InsituStringStream stream(text);
    rapidjson::Reader reader;
    result = reader.Parse<rapidjson::kParseInsituFlag | rapidjson::kParseNumbersAsStringsFlag |
                          rapidjson::kParseIterativeFlag>(stream, handler);
    too_deep = handler.too_deep();
    return !result.IsError();
  }
};

std::string InvalidAt(std::string_view what, size_t offset, const std::string& problem) {
  return std::string(what) + ": invalid JSON at offset " + std::to_string(offset) + ": " + problem;
}

std::string TooDeep() { return "nested deeper than " + std::to_string(kMaxJsonDepth) + " levels"; }

}  // namespace

Result<rapidjson::Document> ParseJsonInPlace(std::string& text, std::string_view what) {
  // The in-place reader stops at the first NUL byte; ParseJson reads such text to its end.
  if (text.find('\0') != std::string::npos) return ParseJson(text, what);
  rapidjson::Document document;
  InPlaceParse parse{text.data(), {}};
  document.Populate(parse);
  if (parse.too_deep) {
    // The reader stopped at the bracket one level too deep.
    return Error::Invalid(InvalidAt(what, parse.result.Offset(), TooDeep()));
  }
  if (parse.result.IsError()) {
    return Error::Invalid(
        InvalidAt(what, parse.result.Offset(), rapidjson::GetParseError_En(parse.result.Code())));
  }
  return document;
}

Result<rapidjson::Document> ParseJson(std::string_view text, std::string_view what) {
  // Every consumer of parsed JSON (printers, diffs, the YAML emitter) recurses over the value, so
  // hostile nesting is refused here, and the parser itself runs iteratively.
  if (size_t offset = FindExcessiveNesting(text, kMaxJsonDepth, true);
      offset != std::string_view::npos) {
    return Error::Invalid(InvalidAt(what, offset, TooDeep()));
  }
  rapidjson::Document document;
  ExactParse parse{text, {}};
  document.Populate(parse);
  if (parse.result.IsError()) {
    return Error::Invalid(
        InvalidAt(what, parse.result.Offset(), rapidjson::GetParseError_En(parse.result.Code())));
  }
  return document;
}

namespace {

// RapidJSON's writers print doubles with Grisu2, which reads back exactly but is not always the
// shortest text that does (-3.0357381203870142e-236 where -3.035738120387014e-236 suffices, about
// one double in 2,000). ShortestDoubleWriter prints them as kubectl does (Go's encoding/json),
// except that an integral value keeps RapidJSON's ".0" (3.0, not 3). Infinities and NaN, which
// JSON cannot hold, are refused as RapidJSON refuses them.
//
// Returns `value` (finite) as kubectl prints it: the shortest digits that read back exactly
// (std::to_chars), laid out plain from 1e-6 up to 1e21 and with an exponent outside.
std::string ShortestDouble(double value) {
  char scientific[32];
  auto [end, error] = std::to_chars(scientific, scientific + sizeof scientific, value,
                                    std::chars_format::scientific);
  std::string_view text(scientific, error == std::errc() ? end - scientific : 0);
  size_t e = text.find('e');
  if (e == std::string_view::npos) return std::string(text);
  const double magnitude = std::fabs(value);
  std::string_view written = text.substr(e + 1);
  if (!written.empty() && written.front() == '+') written.remove_prefix(1);
  int exponent = 0;
  std::from_chars(written.data(), written.data() + written.size(), exponent);
  if (magnitude != 0 && (magnitude < 1e-6 || magnitude >= 1e21)) {
    return std::string(text.substr(0, e + 1)) + (exponent < 0 ? "-" : "+") +
           std::to_string(std::abs(exponent));  // e-7, e+21: no padding, as Go
  }
  std::string out = value < 0 || std::signbit(value) ? "-" : "";
  std::string digits;
  for (char c : text.substr(0, e)) {
    if (c >= '0' && c <= '9') digits += c;
  }
  int point = exponent + 1;  // digits before the decimal point
  if (point <= 0) return out + "0." + std::string(static_cast<size_t>(-point), '0') + digits;
  if (static_cast<size_t>(point) >= digits.size()) {
    // An integral value keeps RapidJSON's ".0", so it reads back as a double.
    return out + digits + std::string(static_cast<size_t>(point) - digits.size(), '0') + ".0";
  }
  return out + digits.substr(0, static_cast<size_t>(point)) + "." +
         digits.substr(static_cast<size_t>(point));
}

template <typename Writer>
class ShortestDoubleWriter : public Writer {
 public:
  using Writer::Writer;
  bool Double(double value) {
    if (!std::isfinite(value)) return false;
    std::string text = ShortestDouble(value);
    return Writer::RawValue(text.data(), text.size(), rapidjson::kNumberType);
  }
};

}  // namespace

std::string ToJson(const rapidjson::Value& value, JsonStyle style) {
  rapidjson::StringBuffer buffer;
  if (style == JsonStyle::kPretty) {
    ShortestDoubleWriter<rapidjson::PrettyWriter<rapidjson::StringBuffer>> writer(buffer);
    writer.SetIndent(' ', 4);
    value.Accept(writer);
  } else {
    ShortestDoubleWriter<rapidjson::Writer<rapidjson::StringBuffer>> writer(buffer);
    value.Accept(writer);
  }
  return {buffer.GetString(), buffer.GetSize()};
}

const rapidjson::Value* FindMember(const rapidjson::Value& object, std::string_view name) {
  if (!object.IsObject()) return nullptr;
  for (const auto& member : object.GetObject()) {
    if (SameText(member.name, name)) return &member.value;
  }
  return nullptr;
}

namespace json_internal {

const rapidjson::Value* FindMemberFrom(const rapidjson::Value& object, std::string_view name,
                                       rapidjson::SizeType& hint) {
  if (!object.IsObject()) return nullptr;
  auto begin = object.MemberBegin();
  rapidjson::SizeType count = object.MemberCount();
  if (hint >= count) hint = 0;
  for (rapidjson::SizeType i = 0; i < count; ++i) {
    rapidjson::SizeType index = hint + i < count ? hint + i : hint + i - count;
    if (SameText(begin[index].name, name)) {
      hint = index + 1;
      return &begin[index].value;
    }
  }
  return nullptr;
}

}  // namespace json_internal

const rapidjson::Value* FindPath(const rapidjson::Value& object,
                                 std::initializer_list<std::string_view> path) {
  const rapidjson::Value* node = &object;
  for (std::string_view name : path) {
    node = FindMember(*node, name);
    if (node == nullptr) return nullptr;
  }
  return node;
}

int64_t GetInt64At(const rapidjson::Value& object, std::initializer_list<std::string_view> path,
                   int64_t fallback) {
  const rapidjson::Value* value = FindPath(object, path);
  return value != nullptr && value->IsInt64() ? value->GetInt64() : fallback;
}

std::string_view GetStringView(const rapidjson::Value& object, std::string_view name,
                               std::string_view fallback) {
  const rapidjson::Value* member = FindMember(object, name);
  return member != nullptr && member->IsString() ? TextOf(*member) : fallback;
}

std::string GetString(const rapidjson::Value& object, std::string_view name,
                      std::string_view fallback) {
  return std::string(GetStringView(object, name, fallback));
}

}  // namespace mm
