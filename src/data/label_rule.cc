#include "data/label_rule.h"

#include <cctype>
#include <charconv>

namespace emlkit::data {

struct LabelRule::Node {
  enum Kind { kCmp, kAnd, kOr, kNot, kAny, kAll } kind = kCmp;
  std::shared_ptr<const Node> a, b;
  int column = -1;  // kCmp: index into columns_
  std::string op;
  double number = 0;
  int64_t rows = 0;  // kAny / kAll
};

namespace {

using Node = LabelRule::Node;
using NodePtr = std::shared_ptr<const Node>;

class Parser {
 public:
  Parser(const std::string& text, const std::string& origin, std::vector<std::string>* columns,
         std::vector<size_t>* pos)
      : t_(text), origin_(origin), columns_(columns), pos_(pos) {}

  Result<NodePtr> Run() {
    EMLKIT_ASSIGN_OR_RETURN(NodePtr n, Or());
    Skip();
    if (i_ != t_.size()) return Error(i_, "unexpected '" + t_.substr(i_, 10) + "'");
    return n;
  }

 private:
  Status Error(size_t at, const std::string& what) {
    return Status::InvalidArgument(origin_ + ":1:" + std::to_string(at + 1) + ": " + what +
                                   " in label rule \"" + t_ +
                                   "\" (syntax: any(motion > 0, 5), CO2 > 800 and not Light < 50)");
  }
  void Skip() {
    while (i_ < t_.size() && std::isspace(static_cast<unsigned char>(t_[i_]))) ++i_;
  }
  bool Word(const char* w) {
    Skip();
    size_t n = std::char_traits<char>::length(w);
    if (t_.compare(i_, n, w) != 0) return false;
    size_t e = i_ + n;
    if (e < t_.size() && (std::isalnum(static_cast<unsigned char>(t_[e])) || t_[e] == '_'))
      return false;
    i_ = e;
    return true;
  }
  bool Char(char c) {
    Skip();
    if (i_ < t_.size() && t_[i_] == c) {
      ++i_;
      return true;
    }
    return false;
  }
  Result<NodePtr> Or() {
    EMLKIT_ASSIGN_OR_RETURN(NodePtr left, And());
    while (Word("or")) {
      EMLKIT_ASSIGN_OR_RETURN(NodePtr right, And());
      auto n = std::make_shared<Node>();
      n->kind = Node::kOr;
      n->a = left;
      n->b = right;
      left = n;
    }
    return left;
  }
  Result<NodePtr> And() {
    EMLKIT_ASSIGN_OR_RETURN(NodePtr left, Unary());
    while (Word("and")) {
      EMLKIT_ASSIGN_OR_RETURN(NodePtr right, Unary());
      auto n = std::make_shared<Node>();
      n->kind = Node::kAnd;
      n->a = left;
      n->b = right;
      left = n;
    }
    return left;
  }
  Result<NodePtr> Unary() {
    if (Word("not")) {
      EMLKIT_ASSIGN_OR_RETURN(NodePtr inner, Unary());
      auto n = std::make_shared<Node>();
      n->kind = Node::kNot;
      n->a = inner;
      return NodePtr(n);
    }
    return Primary();
  }
  Result<NodePtr> Primary() {
    Skip();
    if (Char('(')) {
      EMLKIT_ASSIGN_OR_RETURN(NodePtr inner, Or());
      if (!Char(')')) return Error(i_, "expected ')'");
      return inner;
    }
    size_t save = i_;
    for (const char* f : {"any", "all"}) {
      if (Word(f)) {
        if (!Char('(')) {
          i_ = save;  // a column named "any"
          break;
        }
        EMLKIT_ASSIGN_OR_RETURN(NodePtr inner, Or());
        if (!Char(','))
          return Error(i_, std::string("expected ',' and a row count in ") + f + "(rule, N)");
        Skip();
        size_t at = i_;
        int64_t rows = 0;
        auto [end, ec] = std::from_chars(t_.data() + i_, t_.data() + t_.size(), rows);
        if (ec != std::errc() || rows < 1) return Error(at, "expected a row count >= 1");
        i_ = static_cast<size_t>(end - t_.data());
        if (!Char(')')) return Error(i_, "expected ')'");
        auto n = std::make_shared<Node>();
        n->kind = std::string(f) == "any" ? Node::kAny : Node::kAll;
        n->a = inner;
        n->rows = rows;
        return NodePtr(n);
      }
    }
    return Comparison();
  }
  Result<NodePtr> Comparison() {
    Skip();
    size_t at = i_;
    std::string name;
    if (i_ < t_.size() && t_[i_] == '"') {
      size_t close = t_.find('"', i_ + 1);
      if (close == std::string::npos) return Error(at, "unterminated quoted column name");
      name = t_.substr(i_ + 1, close - i_ - 1);
      i_ = close + 1;
    } else {
      while (i_ < t_.size() &&
             (std::isalnum(static_cast<unsigned char>(t_[i_])) || t_[i_] == '_' || t_[i_] == '.'))
        ++i_;
      name = t_.substr(at, i_ - at);
      if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0])))
        return Error(at, i_ >= t_.size() ? "the rule ends too early; expected a column name"
                                         : "expected a column name");
    }
    Skip();
    std::string op;
    for (const char* o : {">=", "<=", "==", "!=", ">", "<"}) {
      if (t_.compare(i_, std::char_traits<char>::length(o), o) == 0) {
        op = o;
        break;
      }
    }
    if (op.empty())
      return Error(i_, "expected a comparison (> >= < <= == !=) after '" + name + "'");
    i_ += op.size();
    Skip();
    size_t num_at = i_;
    double number = 0;
    const char* b = t_.data() + i_;
    if (i_ < t_.size() && t_[i_] == '+') ++b;
    auto [end, ec] = std::from_chars(b, t_.data() + t_.size(), number);
    if (ec != std::errc()) return Error(num_at, "expected a number after '" + op + "'");
    i_ = static_cast<size_t>(end - t_.data());
    auto n = std::make_shared<Node>();
    n->kind = Node::kCmp;
    n->op = op;
    n->number = number;
    int idx = -1;
    for (size_t k = 0; k < columns_->size(); ++k)
      if ((*columns_)[k] == name) idx = static_cast<int>(k);
    if (idx < 0) {
      idx = static_cast<int>(columns_->size());
      columns_->push_back(name);
      pos_->push_back(at);
    }
    n->column = idx;
    return NodePtr(n);
  }

  const std::string& t_;
  const std::string& origin_;
  std::vector<std::string>* columns_;
  std::vector<size_t>* pos_;
  size_t i_ = 0;
};

std::vector<uint8_t> Eval(const Node& n, const std::vector<const std::vector<double>*>& cols,
                          size_t rows) {
  std::vector<uint8_t> out(rows, 0);
  switch (n.kind) {
    case Node::kCmp: {
      const std::vector<double>& v = *cols[static_cast<size_t>(n.column)];
      for (size_t i = 0; i < rows; ++i) {
        double x = v[i];
        bool r = n.op == ">"    ? x > n.number
                 : n.op == ">=" ? x >= n.number
                 : n.op == "<"  ? x < n.number
                 : n.op == "<=" ? x <= n.number
                 : n.op == "==" ? x == n.number
                                : (x == x && x != n.number);  // NaN != k is false too
        out[i] = r;
      }
      return out;
    }
    case Node::kNot: {
      std::vector<uint8_t> a = Eval(*n.a, cols, rows);
      for (size_t i = 0; i < rows; ++i) out[i] = !a[i];
      return out;
    }
    case Node::kAnd:
    case Node::kOr: {
      std::vector<uint8_t> a = Eval(*n.a, cols, rows), b = Eval(*n.b, cols, rows);
      for (size_t i = 0; i < rows; ++i)
        out[i] = n.kind == Node::kAnd ? (a[i] && b[i]) : (a[i] || b[i]);
      return out;
    }
    case Node::kAny:
    case Node::kAll: {
      std::vector<uint8_t> a = Eval(*n.a, cols, rows);
      int64_t trues = 0;
      const size_t w = static_cast<size_t>(n.rows);
      for (size_t i = 0; i < rows; ++i) {
        trues += a[i];
        if (i >= w) trues -= a[i - w];
        size_t have = std::min(i + 1, w);
        out[i] = n.kind == Node::kAny ? trues > 0 : trues == static_cast<int64_t>(have);
      }
      return out;
    }
  }
  return out;
}

}  // namespace

Result<LabelRule> LabelRule::Parse(const std::string& text, const std::string& origin) {
  LabelRule r;
  r.text_ = text;
  r.origin_ = origin;
  Parser p(r.text_, r.origin_, &r.columns_, &r.column_pos_);
  EMLKIT_ASSIGN_OR_RETURN(r.root_, p.Run());
  return r;
}

Status LabelRule::Bind(const std::vector<std::string>& available) const {
  for (size_t k = 0; k < columns_.size(); ++k) {
    bool found = false;
    for (const std::string& a : available) found = found || a == columns_[k];
    if (!found) {
      std::string list;
      for (const std::string& a : available) list += (list.empty() ? "" : ", ") + a;
      return Status::InvalidArgument(origin_ + ":1:" + std::to_string(column_pos_[k] + 1) +
                                     ": unknown column '" + columns_[k] + "' in label rule \"" +
                                     text_ + "\" (columns: " + list + ")");
    }
  }
  return Status::Ok();
}

std::vector<uint8_t> LabelRule::Evaluate(
    const std::vector<const std::vector<double>*>& cols) const {
  size_t rows = cols.empty() ? 0 : cols[0]->size();
  return Eval(*root_, cols, rows);
}

}  // namespace emlkit::data
