#include "collect/serial_port.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <libserialport.h>
#include <poll.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace emlkit::collect {
namespace {

std::string PortsHint() {
  std::vector<std::string> ports = ListSerialPorts();
  if (ports.empty())
    return "no serial ports were found: is the board plugged in (and its USB cable one that "
           "carries data)?";
  return fmt::format("ports found: {}", fmt::join(ports, "; "));
}

std::string OsError(int code) { return code != 0 ? std::strerror(code) : "unknown error"; }

// termios speed constant for a standard rate, B0 for a rate termios has no constant for.
speed_t SpeedFor(int baud) {
  switch (baud) {
    case 1200:
      return B1200;
    case 2400:
      return B2400;
    case 4800:
      return B4800;
    case 9600:
      return B9600;
    case 19200:
      return B19200;
    case 38400:
      return B38400;
    case 57600:
      return B57600;
    case 115200:
      return B115200;
    case 230400:
      return B230400;
    case 460800:
      return B460800;
    case 500000:
      return B500000;
    case 921600:
      return B921600;
    case 1000000:
      return B1000000;
    case 2000000:
      return B2000000;
    default:
      return B0;
  }
}

}  // namespace

std::vector<std::string> ListSerialPorts() {
  std::vector<std::string> out;
  sp_port** list = nullptr;
  if (sp_list_ports(&list) != SP_OK || list == nullptr) return out;
  for (int i = 0; list[i] != nullptr; ++i) {
    std::string text = sp_get_port_name(list[i]);
    const char* desc = sp_get_port_description(list[i]);
    int vid = 0, pid = 0;
    bool usb = sp_get_port_transport(list[i]) == SP_TRANSPORT_USB &&
               sp_get_port_usb_vid_pid(list[i], &vid, &pid) == SP_OK;
    if (desc != nullptr && *desc != '\0') text += fmt::format(" ({}", desc);
    if (usb)
      text += fmt::format("{}USB {:04x}:{:04x}", desc != nullptr && *desc ? ", " : " (", vid, pid);
    if ((desc != nullptr && *desc != '\0') || usb) text += ")";
    out.push_back(text);
  }
  sp_free_port_list(list);
  return out;
}

bool IsPortGone(const Status& status) {
  return !status.ok() && status.message().find(kPortGone) != std::string::npos;
}

Result<SerialPort> SerialPort::Open(const std::string& path, int baud) {
  if (baud <= 0)
    return Status::InvalidArgument(
        fmt::format("--baud {}: give a positive rate, e.g. 115200", baud));
  if (access(path.c_str(), F_OK) != 0)
    return Status::NotFound(fmt::format("{}: no such serial port; {}", path, PortsHint()));
  SerialPort p;
  p.path_ = path;
  if (sp_get_port_by_name(path.c_str(), &p.port_) == SP_OK) {
    EMLKIT_RETURN_IF_ERROR(p.OpenWithLibserialport(baud));
  } else {
    p.port_ = nullptr;
    EMLKIT_RETURN_IF_ERROR(p.OpenTerminal(baud));
  }
  if (flock(p.fd_, LOCK_EX | LOCK_NB) != 0) {
    return Status::InvalidArgument(fmt::format(
        "{}: the port is busy: another program holds it (a serial monitor, the Arduino IDE, "
        "another emlkit collect or monitor). Close it and try again",
        path));
  }
  int waiting = 0;
  p.was_streaming_ = ioctl(p.fd_, FIONREAD, &waiting) == 0 && waiting > 0;
  tcflush(p.fd_, TCIFLUSH);  // what the OS buffered before we came is not this run's data
  return p;
}

namespace {

Status OpenError(const std::string& path, int code) {
  if (code == EACCES || code == EPERM)
    return Status::InvalidArgument(fmt::format(
        "{}: permission denied. Add yourself to the group that owns it (usually 'dialout': "
        "sudo usermod -aG dialout $USER, then log out and in again), or run as root",
        path));
  if (code == EBUSY)
    return Status::InvalidArgument(fmt::format(
        "{}: the port is busy: another program has it open (a serial monitor, the Arduino "
        "IDE, another emlkit). Close it and try again",
        path));
  return Status::IOError(fmt::format("{}: cannot open: {}", path, OsError(code)));
}

Status BaudError(const std::string& path, int baud) {
  return Status::InvalidArgument(
      fmt::format("{}: the port refuses the baud rate {}; use the rate the board's firmware "
                  "sets (Serial.begin), e.g. 9600, 115200 or 230400",
                  path, baud));
}

}  // namespace

Status SerialPort::OpenWithLibserialport(int baud) {
  if (sp_open(port_, SP_MODE_READ) != SP_OK) return OpenError(path_, sp_last_error_code());
  if (sp_get_port_handle(port_, &fd_) != SP_OK || fd_ < 0)
    return Status::IOError(fmt::format("{}: no file descriptor for the open port", path_));
  if (sp_set_baudrate(port_, baud) != SP_OK) return BaudError(path_, baud);
  if (sp_set_bits(port_, 8) != SP_OK || sp_set_parity(port_, SP_PARITY_NONE) != SP_OK ||
      sp_set_stopbits(port_, 1) != SP_OK || sp_set_flowcontrol(port_, SP_FLOWCONTROL_NONE) != SP_OK)
    return Status::IOError(fmt::format("{}: cannot set 8N1 without flow control: {}", path_,
                                       OsError(sp_last_error_code())));
  return Status::Ok();
}

Status SerialPort::OpenTerminal(int baud) {
  fd_ = open(path_.c_str(), O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  if (fd_ < 0) return OpenError(path_, errno);
  if (!isatty(fd_))
    return Status::InvalidArgument(
        fmt::format("{}: not a serial port (not a terminal device); {}", path_, PortsHint()));
  termios tio{};
  if (tcgetattr(fd_, &tio) != 0)
    return Status::IOError(fmt::format("{}: cannot read its settings: {}", path_, OsError(errno)));
  cfmakeraw(&tio);
  tio.c_cflag |= CLOCAL | CREAD;
  speed_t speed = SpeedFor(baud);
  if (speed == B0 || cfsetspeed(&tio, speed) != 0) return BaudError(path_, baud);
  if (tcsetattr(fd_, TCSANOW, &tio) != 0)
    return Status::IOError(fmt::format("{}: cannot configure it: {}", path_, OsError(errno)));
  return Status::Ok();
}

SerialPort::SerialPort(SerialPort&& other) noexcept
    : port_(std::exchange(other.port_, nullptr)),
      fd_(std::exchange(other.fd_, -1)),
      was_streaming_(other.was_streaming_),
      path_(std::move(other.path_)) {}

SerialPort& SerialPort::operator=(SerialPort&& other) noexcept {
  if (this != &other) {
    Close();
    port_ = std::exchange(other.port_, nullptr);
    fd_ = std::exchange(other.fd_, -1);
    was_streaming_ = other.was_streaming_;
    path_ = std::move(other.path_);
  }
  return *this;
}

SerialPort::~SerialPort() { Close(); }

void SerialPort::Close() {
  if (port_ != nullptr) {
    sp_close(port_);  // closes fd_, which releases the flock
    sp_free_port(port_);
    port_ = nullptr;
  } else if (fd_ >= 0) {
    close(fd_);
  }
  fd_ = -1;
}

Result<size_t> SerialPort::Read(char* buffer, size_t size, int timeout_ms) {
  if (fd_ < 0) return Status::IOError(fmt::format("{}: {}", path_, kPortGone));
  pollfd pfd{fd_, POLLIN, 0};
  int r = poll(&pfd, 1, timeout_ms);
  if (r < 0) {
    if (errno == EINTR) return size_t{0};
    return Status::IOError(fmt::format("{}: poll failed: {}", path_, OsError(errno)));
  }
  if (r == 0) return size_t{0};
  if ((pfd.revents & POLLIN) == 0 && (pfd.revents & (POLLHUP | POLLERR | POLLNVAL)) != 0)
    return Status::IOError(fmt::format("{}: {}", path_, kPortGone));
  ssize_t n = read(fd_, buffer, size);
  if (n > 0) return static_cast<size_t>(n);
  if (n < 0 && (errno == EAGAIN || errno == EINTR)) return size_t{0};
  // 0 bytes after poll said readable, or EIO/ENXIO: the device is gone.
  return Status::IOError(fmt::format("{}: {}", path_, kPortGone));
}

}  // namespace emlkit::collect
