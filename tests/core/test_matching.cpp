#include <catch2/catch.hpp>
#include "matching/matching.hpp"
