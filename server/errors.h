/** @file errors.h
 *  @brief The JSON error body every bisearch-serve failure answers with, and the exception carrying it.
 *
 *  Body: {"error": {"status": 400, "message": "...", "parameter": "limit"}}
 *  (`parameter` only when one request parameter is at fault).
 */
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace bisearch::server {

/// A request that is answered with an error status instead of a result.
class RequestError : public std::runtime_error {
 public:
  RequestError(int status, const std::string& message, std::string parameter = {})
      : std::runtime_error(message), status_(status), parameter_(std::move(parameter)) {}
  int status() const { return status_; }
  const std::string& parameter() const { return parameter_; }

 private:
  int status_;
  std::string parameter_;
};

/// The JSON body of an error answer (invalid UTF-8 in @p message is replaced).
std::string error_json(int status, std::string_view message, std::string_view parameter = {});

}  // namespace bisearch::server
