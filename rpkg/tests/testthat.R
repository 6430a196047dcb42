library(testthat)
library(cognitoidp)

test_check("cognitoidp")
