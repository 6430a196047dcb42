# No AWS configuration of the machine running the tests (variables,
# ~/.aws files, instance metadata) may leak into them.
local_clean_aws_env(.local_envir = testthat::teardown_env())
