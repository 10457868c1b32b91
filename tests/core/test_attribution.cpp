#include <catch2/catch.hpp>
#include "attribution/attribution.hpp"
