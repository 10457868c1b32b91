#pragma once
// One function per `vouch` command; each returns the process exit status
// (0 done, 1 bad input, 2 usage error) and may throw UsageError.
#include <string>
#include <vector>

namespace vouch::cli {

using Argv = std::vector<std::string>;

int run_validate(const Argv& argv);
int run_generate(const Argv& argv);
int run_social_proof(const Argv& argv);
int run_match(const Argv& argv);
int run_attribute(const Argv& argv);
int run_report(const Argv& argv);
int run_serve(const Argv& argv);
int run_export(const Argv& argv);
int run_import(const Argv& argv);
int run_migrate(const Argv& argv);

}  // namespace vouch::cli
