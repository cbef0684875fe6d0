// errors.cc: the JSON body of error answers.
#include "server/errors.h"

#include <nlohmann/json.hpp>

namespace bisearch::server {

std::string error_json(int status, std::string_view message, std::string_view parameter) {
  nlohmann::ordered_json e;
  e["status"] = status;
  e["message"] = std::string(message);
  if (!parameter.empty()) e["parameter"] = std::string(parameter);
  nlohmann::ordered_json body;
  body["error"] = std::move(e);
  return body.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace bisearch::server
