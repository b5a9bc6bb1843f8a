// SerialPort: a serial device (a board's USB CDC port, a UART adapter, a pseudo-terminal) opened
// for reading, through libserialport, with errors a user can act on.
//
//   EMLKIT_ASSIGN_OR_RETURN(SerialPort port, SerialPort::Open("/dev/ttyACM0", 115200));
//   char buf[4096];
//   EMLKIT_ASSIGN_OR_RETURN(size_t n, port.Read(buf, sizeof buf, 100));  // 0: nothing in 100 ms
//
// Ports libserialport knows (USB CDC, USB-serial adapters, UARTs) are opened through it; a terminal
// device it has no record of — a pseudo-terminal from socat, an emulator or the tests — is opened
// as a plain POSIX terminal (libserialport 0.1.1 refuses those: "Device not found").
// Open configures 8N1, no flow control, the given baud rate, raw bytes (no line editing), takes
// an exclusive lock (flock) so that two programs cannot read the same board, and drops whatever
// the operating system had buffered before. Read returns PortGone when the device disappears
// (cable pulled, board reset, the other end of a pseudo-terminal closed): reopen to go on.
// Movable, not copyable; not thread-safe.
#ifndef EMLKIT_COLLECT_SERIAL_PORT_H_
#define EMLKIT_COLLECT_SERIAL_PORT_H_

#include <cstddef>
#include <string>
#include <vector>

#include "common/status.h"

struct sp_port;

namespace emlkit::collect {

// The message of a Read error when the device went away (IOError with this text inside).
inline constexpr const char* kPortGone = "the port went away";

class SerialPort {
 public:
  // Errors (exit code 2): no such port (lists the ports there are), permission denied (says how
  // to get access), busy (another program holds it), a baud rate the port refuses.
  static Result<SerialPort> Open(const std::string& path, int baud);

  SerialPort(SerialPort&& other) noexcept;
  SerialPort& operator=(SerialPort&& other) noexcept;
  SerialPort(const SerialPort&) = delete;
  SerialPort& operator=(const SerialPort&) = delete;
  ~SerialPort();

  // Waits up to `timeout_ms` for bytes and reads at most `size` of them; 0 when none came.
  // IOError containing kPortGone when the device disappeared.
  Result<size_t> Read(char* buffer, size_t size, int timeout_ms);

  const std::string& path() const { return path_; }

 private:
  SerialPort() = default;
  Status OpenWithLibserialport(int baud);
  Status OpenTerminal(int baud);
  void Close();
  sp_port* port_ = nullptr;
  int fd_ = -1;
  std::string path_;
};

// The serial ports the system reports (libserialport's list), e.g. "/dev/ttyACM0 (Arduino Nano
// 33 BLE, USB 2341:805a)". Empty when there are none.
std::vector<std::string> ListSerialPorts();

// True when `status` is the "device went away" error of SerialPort::Read.
bool IsPortGone(const Status& status);

}  // namespace emlkit::collect

#endif  // EMLKIT_COLLECT_SERIAL_PORT_H_
