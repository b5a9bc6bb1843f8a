// `emlkit collect` end to end against a fake board on a pseudo-terminal: row counts, the detected
// rate at 0.5 Hz, 50 Hz and 1 kHz, garbage lines, pauses, a board that goes away and comes back,
// Ctrl-C, recordings, and every bad input a user can cause.
#include <gtest/gtest.h>
#include <sys/file.h>
#include <sys/stat.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/fs.h"
#include "integration/fake_board.h"
#include "support/test_util.h"

namespace emlkit::testing {
namespace {

struct Csv {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};

Csv ReadCsv(const std::string& path) {
  Csv c;
  std::istringstream in(ReadText(path));
  std::string line;
  auto split = [](const std::string& l) {
    std::vector<std::string> f;
    std::stringstream s(l);
    for (std::string x; std::getline(s, x, ',');) f.push_back(x);
    if (!l.empty() && l.back() == ',') f.push_back("");
    return f;
  };
  if (std::getline(in, line)) c.header = split(line);
  while (std::getline(in, line)) c.rows.push_back(split(line));
  return c;
}

// The "seq" column (the fake board's first value) of every row.
std::vector<int> Seqs(const Csv& c, size_t col) {
  std::vector<int> s;
  for (const auto& r : c.rows) s.push_back(std::stoi(r.at(col)));
  return s;
}

std::vector<int> Range(int first, int count) {
  std::vector<int> v(static_cast<size_t>(count));
  for (int i = 0; i < count; ++i) v[static_cast<size_t>(i)] = first + i;
  return v;
}

class CollectTest : public ::testing::Test {
 protected:
  ScratchDir dir_{"emlkit-collect"};
  std::string Port() { return dir_.Path("ttyFAKE"); }
  std::string Out() { return dir_.Path("out.csv"); }
  nlohmann::json Summary(const Child& c) {
    nlohmann::json j = nlohmann::json::parse(c.out(), nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << c.out() << c.err();
    return j;
  }
  // Streams `count` lines at `hz` to a `collect --samples count --json` run; returns it.
  nlohmann::json CollectAtRate(double hz, int count, int garbage_every,
                               std::vector<std::string> extra = {}) {
    FakeBoard board(Port());
    std::vector<std::string> args = {
        "collect", "--port", Port(), "--out", Out(), "--samples", std::to_string(count), "--json"};
    args.insert(args.end(), extra.begin(), extra.end());
    Child c(EmlkitBinary(), args, dir_.path());
    EXPECT_TRUE(c.WaitForErr("collect: reading"));
    board.Write("seq,value\n");
    board.Stream(hz, 0, count, garbage_every);
    EXPECT_EQ(c.Wait(), 0) << c.err();
    return Summary(c);
  }
};

TEST_F(CollectTest, FiftyHertzWithGarbageKeepsEverySample) {
  nlohmann::json s = CollectAtRate(50, 200, 40, {"--label", "wave"});
  EXPECT_EQ(s["samples"], 200);
  EXPECT_EQ(s["malformed_lines"], 4);  // after samples 40, 80, 120 and 160
  EXPECT_EQ(s["columns"], (std::vector<std::string>{"seq", "value"}));
  EXPECT_NEAR(s["rate_hz"].get<double>() / 50.0, 1.0, 2e-3) << s["rate_hz"];
  std::printf("[ measured ] 50 Hz board: detected %.6f Hz\n", s["rate_hz"].get<double>());
  Csv c = ReadCsv(Out());
  EXPECT_EQ(c.header,
            (std::vector<std::string>{"timestamp", "recording", "label", "seq", "value"}));
  EXPECT_EQ(Seqs(c, 3), Range(0, 200));
  EXPECT_EQ(c.rows[0][1], "1");
  EXPECT_EQ(c.rows[0][2], "wave");
  EXPECT_EQ(c.rows[10][4], "5");  // the value as the board wrote it
}

TEST_F(CollectTest, OneKilohertz) {
  nlohmann::json s = CollectAtRate(1000, 3000, 0);
  EXPECT_EQ(s["samples"], 3000);
  EXPECT_NEAR(s["rate_hz"].get<double>() / 1000.0, 1.0, 2e-3) << s["rate_hz"];
  std::printf("[ measured ] 1 kHz board: detected %.6f Hz\n", s["rate_hz"].get<double>());
  EXPECT_EQ(Seqs(ReadCsv(Out()), 2), Range(0, 3000));
}

TEST_F(CollectTest, HalfHertz) {
  nlohmann::json s = CollectAtRate(0.5, 5, 0);
  EXPECT_EQ(s["samples"], 5);
  EXPECT_NEAR(s["rate_hz"].get<double>() / 0.5, 1.0, 2e-3) << s["rate_hz"];
  std::printf("[ measured ] 0.5 Hz board: detected %.6f Hz\n", s["rate_hz"].get<double>());
  Csv c = ReadCsv(Out());
  EXPECT_EQ(Seqs(c, 2), Range(0, 5));
}

TEST_F(CollectTest, PauseDoesNotBendTheRate) {
  FakeBoard board(Port());
  Child c(EmlkitBinary(),
          {"collect", "--port", Port(), "--out", Out(), "--samples", "200", "--json"}, dir_.path());
  ASSERT_TRUE(c.WaitForErr("collect: reading"));
  board.Stream(100, 0, 100);
  std::this_thread::sleep_for(std::chrono::milliseconds(700));
  board.Stream(100, 100, 100);
  ASSERT_EQ(c.Wait(), 0) << c.err();
  nlohmann::json s = Summary(c);
  EXPECT_NEAR(s["rate_hz"].get<double>() / 100.0, 1.0, 2e-3) << s["rate_hz"];
  EXPECT_EQ(Seqs(ReadCsv(Out()), 2), Range(0, 200));
}

TEST_F(CollectTest, BoardGoesAwayAndComesBack) {
  FakeBoard board(Port());
  Child c(EmlkitBinary(),
          {"collect", "--port", Port(), "--out", Out(), "--samples", "120", "--json", "--columns",
           "seq,value"},
          dir_.path());
  ASSERT_TRUE(c.WaitForErr("collect: reading"));
  board.Stream(50, 0, 60);
  // Let the reader take the last line: a hang-up discards what the pty still holds, as pulling
  // a cable loses what is in flight.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  board.Disconnect();  // cable pulled
  std::this_thread::sleep_for(std::chrono::milliseconds(600));
  board.Connect();  // back, as the same port
  ASSERT_TRUE(c.WaitForErr("is back"));
  board.Stream(50, 60, 60);
  ASSERT_EQ(c.Wait(), 0) << c.err();
  nlohmann::json s = Summary(c);
  EXPECT_EQ(s["reconnects"], 1);
  EXPECT_EQ(Seqs(ReadCsv(Out()), 2), Range(0, 120));
  EXPECT_NEAR(s["rate_hz"].get<double>() / 50.0, 1.0, 2e-3);
}

TEST_F(CollectTest, CtrlCKeepsEveryCompleteLineAndNoPartialOne) {
  FakeBoard board(Port());
  Child c(EmlkitBinary(), {"collect", "--port", Port(), "--out", Out(), "--json"}, dir_.path());
  ASSERT_TRUE(c.WaitForErr("collect: reading"));
  board.Write("seq,value\n");
  board.Stream(200, 0, 300);
  board.Write("300,1");  // a line cut off by the stop: must not be written
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  c.Interrupt();
  ASSERT_EQ(c.Wait(), 0) << c.err();
  nlohmann::json s = Summary(c);
  EXPECT_EQ(s["stopped_by"], "interrupt");
  std::string text = ReadText(Out());
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text.back(), '\n');
  EXPECT_EQ(Seqs(ReadCsv(Out()), 2), Range(0, 300));
}

TEST_F(CollectTest, SegmentsAndAppendingContinueRecordings) {
  {
    nlohmann::json s = CollectAtRate(200, 30, 0, {"--segment", "10", "--label", "a"});
    EXPECT_EQ(s["recordings"], (std::vector<int>{1, 3}));
  }
  nlohmann::json s = CollectAtRate(200, 10, 0, {"--label", "b"});
  EXPECT_EQ(s["appended"], true);
  EXPECT_EQ(s["recordings"], (std::vector<int>{4, 4}));
  Csv c = ReadCsv(Out());
  ASSERT_EQ(c.rows.size(), 40u);
  EXPECT_EQ(c.rows[0][1], "1");
  EXPECT_EQ(c.rows[10][1], "2");
  EXPECT_EQ(c.rows[29][1], "3");
  EXPECT_EQ(c.rows[30][1], "4");
  EXPECT_EQ(c.rows[30][2], "b");
}

// ---- bad input: a clear message, exit 2, no file left behind -----------------------------------

TEST_F(CollectTest, MissingPort) {
  CliResult r = RunEmlkit({"collect", "--port", dir_.Path("ttyNONE"), "--out", Out()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no such serial port"), std::string::npos) << r.err;
  EXPECT_FALSE(PathExists(Out()));
}

TEST_F(CollectTest, BusyPort) {
  FakeBoard board(Port());
  int fd = open(Port().c_str(), O_RDONLY | O_NOCTTY);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(flock(fd, LOCK_EX | LOCK_NB), 0);  // another program holds it
  CliResult r = RunEmlkit({"collect", "--port", Port(), "--out", Out()});
  close(fd);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("busy"), std::string::npos) << r.err;
  EXPECT_FALSE(PathExists(Out()));
}

TEST_F(CollectTest, PermissionDenied) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root, to run emlkit as another user";
  FakeBoard board(Port());
  // The board's device belongs to root (mode 0600); emlkit runs as nobody.
  char target[256] = {0};
  ASSERT_GT(readlink(Port().c_str(), target, sizeof target - 1), 0);
  ASSERT_EQ(chmod(target, 0600), 0);
  ASSERT_EQ(chmod(dir_.path().c_str(), 0777), 0);
  std::string out = dir_.Path("denied.csv");
  pid_t pid = fork();
  if (pid == 0) {
    int null = open("/dev/null", O_WRONLY);
    int err = open(dir_.Path("denied.err").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0666);
    dup2(null, 1);
    dup2(err, 2);
    if (setgid(65534) != 0 || setuid(65534) != 0) _exit(99);
    std::string bin = EmlkitBinary();
    execl(bin.c_str(), bin.c_str(), "collect", "--port", Port().c_str(), "--out", out.c_str(),
          static_cast<char*>(nullptr));
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  std::string err = ReadText(dir_.Path("denied.err"));
  if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
    GTEST_SKIP() << "the user nobody cannot run the emlkit binary here: " << err;
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 2) << err;
  EXPECT_NE(err.find("permission denied"), std::string::npos) << err;
  EXPECT_NE(err.find("dialout"), std::string::npos) << err;
  EXPECT_FALSE(PathExists(out));
}

TEST_F(CollectTest, RefusedBaudRate) {
  FakeBoard board(Port());
  CliResult r = RunEmlkit({"collect", "--port", Port(), "--baud", "12345", "--out", Out()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("refuses the baud rate 12345"), std::string::npos) << r.err;
  EXPECT_FALSE(PathExists(Out()));
}

TEST_F(CollectTest, NoParsableLineWithinTheTimeout) {
  FakeBoard board(Port());
  Child c(EmlkitBinary(), {"collect", "--port", Port(), "--out", Out(), "--timeout", "1s"},
          dir_.path());
  ASSERT_TRUE(c.WaitForErr("collect: reading"));
  board.Write("\xf0\x13\x88garbled\n\x91\xfe noise\n");  // what a wrong baud rate looks like
  EXPECT_EQ(c.Wait(), 2);
  EXPECT_NE(c.err().find("no line of numbers in 1 s"), std::string::npos) << c.err();
  EXPECT_NE(c.err().find("--baud"), std::string::npos) << c.err();
  EXPECT_FALSE(PathExists(Out()));
}

TEST_F(CollectTest, AppendingAnotherStreamIsRefused) {
  WriteText(Out(), "timestamp,recording,x,y,z\n2026-01-01 00:00:00.000000,1,1,2,3\n");
  FakeBoard board(Port());
  Child c(EmlkitBinary(), {"collect", "--port", Port(), "--out", Out(), "--timeout", "5s"},
          dir_.path());
  ASSERT_TRUE(c.WaitForErr("collect: reading"));
  board.Stream(100, 0, 5);
  EXPECT_EQ(c.Wait(), 2);
  EXPECT_NE(c.err().find("are not this stream's"), std::string::npos) << c.err();
  EXPECT_EQ(ReadText(Out()), "timestamp,recording,x,y,z\n2026-01-01 00:00:00.000000,1,1,2,3\n");
}

TEST_F(CollectTest, BadOptions) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"collect", "--port", "/dev/null", "--out", "x.csv", "--duration",
                                 "soon"},
        {"collect", "--port", "/dev/null", "--out", "x.csv", "--segment", "0"},
        {"collect", "--port", "/dev/null", "--out", "x.csv", "--label", "a,b"},
        {"collect", "--out", "x.csv"}}) {
    CliResult r = RunEmlkit(args);
    EXPECT_EQ(r.exit_code, 2) << args[5];
    EXPECT_NE(r.err.find("emlkit: error:"), std::string::npos) << r.err;
  }
  EXPECT_FALSE(PathExists("x.csv"));
}

}  // namespace
}  // namespace emlkit::testing
