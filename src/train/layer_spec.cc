#include "train/layer_spec.h"

#include <charconv>
#include <cstdlib>

#include "train/names.h"

namespace emlkit::train {
namespace {

#define EMLKIT_TRAIN_NAME_ENTRY(id, name) name,
constexpr const char* kActNames[] = {EMLKIT_TRAIN_ACTIVATIONS(EMLKIT_TRAIN_NAME_ENTRY)};
constexpr const char* kKindNames[] = {EMLKIT_TRAIN_LAYER_KINDS(EMLKIT_TRAIN_NAME_ENTRY)};
#undef EMLKIT_TRAIN_NAME_ENTRY
static_assert(std::size(kActNames) == static_cast<size_t>(Act::kCount));
static_assert(std::size(kKindNames) == static_cast<size_t>(LayerKind::kCount));

// One ':'-separated field and its 1-based column in the whole spec.
struct Field {
  std::string text;
  size_t column;
};

std::string Trim(const std::string& s, size_t* lead) {
  size_t b = s.find_first_not_of(" \t");
  if (b == std::string::npos) {
    *lead = s.size();
    return "";
  }
  size_t e = s.find_last_not_of(" \t");
  *lead = b;
  return s.substr(b, e - b + 1);
}

// Splits `text` (starting at 0-based offset `base` in the spec) at `sep`, trimming each part.
std::vector<Field> Split(const std::string& text, char sep, size_t base) {
  std::vector<Field> out;
  size_t start = 0;
  while (true) {
    size_t end = text.find(sep, start);
    std::string part =
        text.substr(start, end == std::string::npos ? std::string::npos : end - start);
    size_t lead = 0;
    std::string t = Trim(part, &lead);
    out.push_back({t, base + start + lead + 1});
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return out;
}

class LayerParser {
 public:
  LayerParser(const std::string& where, int index, const std::vector<Field>& fields)
      : where_(where), index_(index), fields_(fields) {}

  Status Error(const Field& f, const std::string& what) const {
    return Status::InvalidArgument(where_ + ": layer " + std::to_string(index_) + " ('" + Joined() +
                                   "'), column " + std::to_string(f.column) + ": " + what);
  }

  Result<int> PositiveInt(const Field& f, const char* what, int max) const {
    int v = 0;
    auto [p, ec] = std::from_chars(f.text.data(), f.text.data() + f.text.size(), v);
    if (ec != std::errc() || p != f.text.data() + f.text.size() || v <= 0 || v > max)
      return Error(f, std::string(what) + " must be an integer from 1 to " + std::to_string(max) +
                          ", got '" + f.text + "'");
    return v;
  }

  // Parses optional trailing fields from `first`: an activation (if allowed) and key=value
  // options among `keys`.
  Status Options(size_t first, bool allow_act, std::initializer_list<const char*> keys,
                 LayerSpec* spec) const {
    bool act_seen = false;
    for (size_t i = first; i < fields_.size(); ++i) {
      const Field& f = fields_[i];
      size_t eq = f.text.find('=');
      if (eq == std::string::npos) {
        Act a;
        if (allow_act && !act_seen && ParseActName(f.text, &a)) {
          spec->act = a;
          act_seen = true;
          continue;
        }
        std::string valid = allow_act && !act_seen ? "an activation (linear, relu, relu6, tanh, "
                                                     "sigmoid, softmax) or "
                                                   : "";
        return Error(f, "unexpected '" + f.text + "'; expected " + valid + "key=value options");
      }
      std::string key = f.text.substr(0, eq), value = f.text.substr(eq + 1);
      bool known = false;
      for (const char* k : keys) known |= key == k;
      if (!known) {
        std::string list;
        for (const char* k : keys) list += (list.empty() ? "" : ", ") + std::string(k);
        return Error(f, "unknown option '" + key + "'" +
                            (list.empty() ? " (this layer takes none)" : "; known: " + list));
      }
      if (key == "stride") {
        EMLKIT_ASSIGN_OR_RETURN(spec->stride,
                                PositiveInt({value, f.column + eq + 1}, "stride", 1 << 20));
      } else if (key == "padding") {
        if (value == "valid") {
          spec->padding = Pad::kValid;
        } else if (value == "same") {
          spec->padding = Pad::kSame;
        } else {
          return Error(f, "padding must be 'valid' or 'same', got '" + value + "'");
        }
      }
    }
    return Status::Ok();
  }

  Result<LayerSpec> Parse() const {
    const Field& head = fields_[0];
    LayerSpec spec;
    auto need = [&](size_t min, size_t max, const std::string& usage) -> Status {
      if (fields_.size() < min || fields_.size() > max) return Error(head, "expected " + usage);
      return Status::Ok();
    };
    Act act;
    if (head.text == "dense") {
      EMLKIT_RETURN_IF_ERROR(need(2, 3, "dense:UNITS[:ACTIVATION], e.g. dense:16:relu"));
      EMLKIT_ASSIGN_OR_RETURN(spec.units, PositiveInt(fields_[1], "dense units", 1 << 16));
      EMLKIT_RETURN_IF_ERROR(Options(2, true, {}, &spec));
    } else if (head.text == "conv1d") {
      EMLKIT_RETURN_IF_ERROR(need(3, 6,
                                  "conv1d:FILTERS:KERNEL[:ACTIVATION][:stride=S][:padding=same],"
                                  " e.g. conv1d:16:3:relu"));
      spec.kind = LayerKind::kConv1D;
      EMLKIT_ASSIGN_OR_RETURN(spec.units, PositiveInt(fields_[1], "conv1d filters", 1 << 16));
      EMLKIT_ASSIGN_OR_RETURN(spec.size, PositiveInt(fields_[2], "conv1d kernel width", 1 << 16));
      EMLKIT_RETURN_IF_ERROR(Options(3, true, {"stride", "padding"}, &spec));
    } else if (head.text == "maxpool1d" || head.text == "avgpool1d") {
      EMLKIT_RETURN_IF_ERROR(need(2, 3, "maxpool1d:SIZE[:stride=S], e.g. maxpool1d:2"));
      spec.kind = head.text == "maxpool1d" ? LayerKind::kMaxPool1D : LayerKind::kAvgPool1D;
      EMLKIT_ASSIGN_OR_RETURN(spec.size, PositiveInt(fields_[1], "pool size", 1 << 16));
      spec.stride = spec.size;
      EMLKIT_RETURN_IF_ERROR(Options(2, false, {"stride"}, &spec));
    } else if (head.text == "flatten" || head.text == "gap") {
      EMLKIT_RETURN_IF_ERROR(need(1, 1, "no fields after '" + head.text + "'"));
      spec.kind = head.text == "flatten" ? LayerKind::kFlatten : LayerKind::kGlobalAvgPool1D;
    } else if (head.text == "dropout") {
      EMLKIT_RETURN_IF_ERROR(need(2, 2, "dropout:RATE, e.g. dropout:0.2"));
      spec.kind = LayerKind::kDropout;
      const Field& f = fields_[1];
      char* end = nullptr;
      double r = std::strtod(f.text.c_str(), &end);
      if (f.text.empty() || *end != '\0' || !(r >= 0.0 && r < 1.0))
        return Error(f, "dropout rate must be a number in [0, 1), got '" + f.text + "'");
      spec.rate = static_cast<float>(r);
    } else if (ParseActName(head.text, &act) && act != Act::kLinear) {
      EMLKIT_RETURN_IF_ERROR(need(1, 1, "no fields after '" + head.text + "'"));
      spec.kind = LayerKind::kActivation;
      spec.act = act;
    } else {
      return Error(head, "unknown layer '" + head.text +
                             "'; known: dense, conv1d, maxpool1d, avgpool1d, flatten, gap, "
                             "dropout, relu, relu6, tanh, sigmoid, softmax");
    }
    spec.text = FormatLayer(spec);
    return spec;
  }

 private:
  std::string Joined() const {
    std::string s;
    for (const Field& f : fields_) s += (s.empty() ? "" : ":") + f.text;
    return s;
  }
  const std::string& where_;
  int index_;
  std::vector<Field> fields_;
};

}  // namespace

const char* ActName(Act a) { return kActNames[static_cast<int>(a)]; }
const char* LayerKindName(LayerKind k) { return kKindNames[static_cast<int>(k)]; }

bool ParseActName(const std::string& name, Act* out) { return ParseName(name, kActNames, out); }

Result<std::vector<LayerSpec>> ParseLayers(const std::string& text, const std::string& where) {
  std::vector<LayerSpec> out;
  size_t lead = 0;
  if (Trim(text, &lead).empty())
    return Status::InvalidArgument(where + ": the layer list is empty; e.g. dense:16:relu");
  std::vector<Field> layers = Split(text, ',', 0);
  for (size_t i = 0; i < layers.size(); ++i) {
    const Field& layer = layers[i];
    if (layer.text.empty())
      return Status::InvalidArgument(where + ": layer " + std::to_string(i + 1) + ", column " +
                                     std::to_string(layer.column) +
                                     ": empty layer (two commas in a row, or a trailing comma?)");
    // Split the trimmed layer; its first character is at column layer.column.
    LayerParser p(where, static_cast<int>(i + 1), Split(layer.text, ':', layer.column - 1));
    EMLKIT_ASSIGN_OR_RETURN(LayerSpec spec, p.Parse());
    out.push_back(std::move(spec));
  }
  return out;
}

std::string FormatLayer(const LayerSpec& s) {
  std::string t = LayerKindName(s.kind);
  switch (s.kind) {
    case LayerKind::kDense:
      t += ":" + std::to_string(s.units);
      if (s.act != Act::kLinear) t += std::string(":") + ActName(s.act);
      break;
    case LayerKind::kConv1D:
      t += ":" + std::to_string(s.units) + ":" + std::to_string(s.size);
      if (s.act != Act::kLinear) t += std::string(":") + ActName(s.act);
      if (s.stride != 1) t += ":stride=" + std::to_string(s.stride);
      if (s.padding == Pad::kSame) t += ":padding=same";
      break;
    case LayerKind::kMaxPool1D:
    case LayerKind::kAvgPool1D:
      t += ":" + std::to_string(s.size);
      if (s.stride != s.size) t += ":stride=" + std::to_string(s.stride);
      break;
    case LayerKind::kDropout: {
      char buf[32];
      std::snprintf(buf, sizeof buf, ":%g", static_cast<double>(s.rate));
      t += buf;
      break;
    }
    case LayerKind::kActivation:
      t = ActName(s.act);
      break;
    default:
      break;
  }
  return t;
}

std::string FormatLayers(const std::vector<LayerSpec>& specs) {
  std::string t;
  for (const LayerSpec& s : specs) t += (t.empty() ? "" : ",") + FormatLayer(s);
  return t;
}

}  // namespace emlkit::train
