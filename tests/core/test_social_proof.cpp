#include <catch2/catch.hpp>
#include "social_proof/social_proof.hpp"
