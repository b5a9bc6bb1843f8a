// emlkit data inspect | prepare: look at a sensor log; turn logs into a data set.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>

#include "cli/command.h"
#include "cli/data_prepare_flags.h"
#include "data/inspect.h"

namespace emlkit::cli {
namespace {

struct InspectArgs {
  std::string file;
  bool json = false;
  std::string delimiter;
  std::string header = "auto";
  int threads = 0;
};

Status ParseDelimiter(const std::string& text, char* out) {
  if (text.empty()) return Status::Ok();
  if (text == "tab" || text == "TAB" || text == "\\t") {
    *out = '\t';
    return Status::Ok();
  }
  if (text.size() != 1 || text[0] == '"' || text[0] == '\n' || text[0] == '\r')
    return Status::InvalidArgument("--delimiter must be one character (or 'tab'), got '" + text +
                                   "'");
  *out = text[0];
  return Status::Ok();
}

Status RunInspect(const InspectArgs& a) {
  data::CsvOptions opt;
  EMLKIT_RETURN_IF_ERROR(ParseDelimiter(a.delimiter, &opt.delimiter));
  opt.header = a.header == "yes"  ? data::HeaderMode::kYes
               : a.header == "no" ? data::HeaderMode::kNo
                                  : data::HeaderMode::kAuto;
  opt.threads = a.threads;
  EMLKIT_ASSIGN_OR_RETURN(data::InspectReport rep, data::Inspect(a.file, opt, true));
  std::string out = a.json ? rep.ToJson() + "\n" : rep.ToText();
  std::fwrite(out.data(), 1, out.size(), stdout);
  return Status::Ok();
}

}  // namespace

void RegisterDataCommand(CLI::App& root, CommandList& commands) {
  CLI::App* data = root.add_subcommand("data", "Look at sensor logs and prepare data sets");
  data->require_subcommand(1);

  auto ia = std::make_shared<InspectArgs>();
  CLI::App* inspect = data->add_subcommand(
      "inspect",
      "Report each column of a CSV sensor log: inferred type (number, integer, boolean, "
      "timestamp, text), count, missing, min/max/mean/std; for a timestamp column the sampling "
      "period (median step, gaps, duplicates, out-of-order rows); suspected spikes, stuck-sensor "
      "runs and, for label-like columns, the class balance. Problems in the data are listed, "
      "not fatal; a file that is not a readable table exits with code 2.");
  inspect->add_option("file", ia->file, "CSV file to inspect")->required();
  inspect->add_flag("--json", ia->json, "Print one JSON object on stdout instead of text");
  inspect->add_option("--delimiter", ia->delimiter,
                      "Field delimiter (default: detected among , ; tab |)");
  inspect->add_option("--header", ia->header, "Is the first line a header? (default: auto)")
      ->check(CLI::IsMember({"auto", "yes", "no"}));
  inspect->add_option("--threads", ia->threads, "Parse threads (default: 0 = all cores)")
      ->check(CLI::Range(0, 256));
  commands.push_back({inspect, [ia] { return RunInspect(*ia); }});

  RegisterDataPrepare(data, commands);
}

}  // namespace emlkit::cli
