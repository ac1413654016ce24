// A GoogleTest file of the orders sample's rules (tests/unit/order_rules_test.cpp).
#include <gtest/gtest.h>

#include <eventstore/framework.hpp>
#include <eventstore/testing.hpp>

#include "orders.hpp"

namespace orders {
namespace {
// @fragment
}  // namespace
}  // namespace orders
