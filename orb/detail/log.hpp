// The one named spdlog logger per component ("orb.tcp", "naming", ...),
// created on first use as a copy of the default logger and registered, so
// spdlog::set_level (which -ORBLogLevel calls) reaches it like any other.
#pragma once

#include <spdlog/spdlog.h>

#include <memory>
#include <mutex>
#include <string>

namespace orb::detail {

/// Returns the logger registered under `name`, creating it if needed.
inline std::shared_ptr<spdlog::logger> named_logger(const std::string& name) {
  static std::mutex mutex;  // makes get-or-create atomic across threads
  std::lock_guard lock(mutex);
  if (std::shared_ptr<spdlog::logger> existing = spdlog::get(name)) {
    return existing;
  }
  std::shared_ptr<spdlog::logger> created = spdlog::default_logger()->clone(name);
  spdlog::register_logger(created);
  return created;
}

}  // namespace orb::detail
