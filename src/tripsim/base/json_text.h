// JsonText: a Boost.JSON document as text, written as boost::json::serialize writes it except
// for floating-point numbers. Boost 1.81 writes every double in exponent form (a success rate
// of one half as 5E-1, none as 0E0); JsonText writes the shortest decimal that reads back as
// the same double, with ".0" when it is whole: 0.5, 0.0, 1.0, 0.3333333333333333.
//
//   JsonText(boost::json::object{{"success_rate", 0.5}})  // {"success_rate":0.5}
#pragma once

#include <string>

#include <boost/json/value.hpp>

namespace tripsim {

std::string JsonText(const boost::json::value& v);
std::string JsonText(const boost::json::object& o);

}  // namespace tripsim
