// report.html in a real browser: headless Chromium loads the report of a short thermostat run
// with no console message but the chart boxes the page logs for this test, and its screenshot
// shows every chart drawn (a non-blank region where each chart is). Skipped when Chromium is
// not installed (scripts/bootstrap installs it with the test set).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include "common/fs.h"
#include "png_image.h"
#include "run_project.h"
#include "support/test_util.h"

namespace emlkit {
namespace {

using testing::Image;
using testing::ReadText;
using testing::RunEmlkit;

struct Box {
  int x = 0, y = 0, w = 0, h = 0;
};

// Chart boxes from the "emlkit-box ID X Y W H" console lines; every other console line is a
// problem the page has (an error, a failed load, a warning).
std::map<std::string, Box> ParseConsole(const std::string& log, std::vector<std::string>* other) {
  std::map<std::string, Box> boxes;
  std::istringstream in(log);
  for (std::string line; std::getline(in, line);) {
    if (line.find(":CONSOLE") == std::string::npos) continue;
    const size_t at = line.find("\"emlkit-box ");
    if (at == std::string::npos) {
      other->push_back(line);
      continue;
    }
    std::istringstream fields(line.substr(at + 12));
    std::string id;
    Box b;
    fields >> id >> b.x >> b.y >> b.w >> b.h;
    boxes[id] = b;
  }
  return boxes;
}

// Share of pixels in the box that are not the page's white, and how many colors it has.
struct Ink {
  double share = 0;    // not white
  double colored = 0;  // saturated (the data: series, bars, cells), not gray text or axes
  size_t colors = 0;
};
Ink InkIn(const Image& img, const Box& b) {
  size_t inked = 0, colored = 0, n = 0;
  std::set<uint32_t> colors;
  for (int y = b.y; y < b.y + b.h && y < img.height; ++y)
    for (int x = b.x; x < b.x + b.w && x < img.width; ++x) {
      const uint8_t* p = img.At(x, y);
      ++n;
      if (p[0] < 245 || p[1] < 245 || p[2] < 245) ++inked;
      if (std::max({p[0], p[1], p[2]}) - std::min({p[0], p[1], p[2]}) > 60) ++colored;
      if (colors.size() < 64) colors.insert((p[0] << 16) | (p[1] << 8) | p[2]);
    }
  const double total = n ? static_cast<double>(n) : 1;
  return {static_cast<double>(inked) / total, static_cast<double>(colored) / total, colors.size()};
}

TEST(ReportCheck, ABlankRegionHasNoInkAndOtherConsoleLinesAreProblems) {
  // The checks the browser test relies on, on made-up input: they can fail.
  Image img;
  img.width = img.height = 10;
  img.rgb.assign(300, 255);
  EXPECT_EQ(InkIn(img, {0, 0, 10, 10}).share, 0.0);
  img.rgb[0] = img.rgb[1] = img.rgb[2] = 0;  // a black pixel
  EXPECT_GT(InkIn(img, {0, 0, 10, 10}).share, 0.0);
  EXPECT_EQ(InkIn(img, {0, 0, 10, 10}).colored, 0.0) << "black is not data";
  img.rgb[4] = img.rgb[5] = 0;  // a red pixel
  EXPECT_GT(InkIn(img, {0, 0, 10, 10}).colored, 0.0);
  std::vector<std::string> other;
  auto boxes = ParseConsole(
      "[1:1:INFO:CONSOLE:3] \"emlkit-box loss 10 20 300 200\", source: x\n"
      "[1:1:INFO:CONSOLE:9] \"Uncaught ReferenceError: f is not defined\", source: x\n",
      &other);
  ASSERT_EQ(boxes.count("loss"), 1u);
  EXPECT_EQ(boxes["loss"].w, 300);
  EXPECT_EQ(other.size(), 1u);
}

TEST(ReportBrowser, LoadsWithoutConsoleErrorsAndDrawsEveryChart) {
  const char* chromium = "/usr/bin/chromium";
  if (!std::filesystem::exists(chromium))
    GTEST_SKIP() << "chromium not installed (apt-get install chromium, or scripts/bootstrap)";
  ScratchDir dir("report");
  const std::string toml = testing::WriteShortThermostat(dir.path());
  auto run = RunEmlkit({"run", toml, "--out", dir.Path("out"), "-q"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const std::string html = ReadText(dir.Path("out/report.html"));
  // Self-contained: nothing to fetch.
  for (const char* ref : {"src=", "href=", "url(", "@import", "<link"})
    EXPECT_EQ(html.find(ref), std::string::npos) << ref;

  const std::string shot = dir.Path("shot.png");
  auto r = testing::RunProgram(
      "/usr/bin/timeout",
      {"120", chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
       "--disable-background-networking", "--disable-component-update", "--disable-sync",
       "--user-data-dir=" + dir.Path("profile"), "--enable-logging=stderr", "--v=0",
       "--hide-scrollbars", "--window-size=1000,7000", "--screenshot=" + shot,
       "file://" + std::filesystem::absolute(dir.Path("out/report.html")).string() + "#boxes"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> problems;
  const std::map<std::string, Box> boxes = ParseConsole(r.err, &problems);
  EXPECT_TRUE(problems.empty()) << "console:\n" << ::testing::PrintToString(problems);

  // Every chart the thermostat report has.
  for (const char* id :
       {"series-0", "series-4", "loss", "metric", "confusion-float", "confusion-pruned",
        "confusion-int8", "quant-error", "layer-macs", "board-ram", "board-flash", "board-latency",
        "thermostat-energy", "thermostat-discomfort", "thermostat-day"})
    EXPECT_EQ(boxes.count(id), 1u) << id << " not on the page";

  std::string error;
  const Image img = testing::DecodePng(ReadText(shot), &error);
  ASSERT_GT(img.width, 0) << error;
  for (const auto& [id, b] : boxes) {
    ASSERT_LE(b.y + b.h, img.height) << id << " below the screenshot: make the window taller";
    const Ink ink = InkIn(img, b);
    EXPECT_GT(ink.share, 0.01) << id << " looks blank";
    EXPECT_GT(ink.colored, 0.005) << id << ": no data drawn (only gray text and axes)";
    EXPECT_GE(ink.colors, 3u) << id << " has no drawing in it";
  }
}

}  // namespace
}  // namespace emlkit
