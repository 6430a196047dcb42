# A user pool's life as a user would write it against paws: create it, add an
# app client and users, sign a user in with no AWS credentials anywhere,
# groups, a paginated listing, tags, errors, and deleting it all. Every value
# is checked as paws represents it (integers as doubles, timestamps as GMT
# POSIXct, lists of strings as character vectors, typed empties).

test_that("a user pool's whole life works as with paws, sign-in without AWS credentials included", {
  svc <- moto_svc()
  pool_name <- unique_name("workflow-pool")
  created <- svc$create_user_pool(
    PoolName = pool_name,
    Policies = list(PasswordPolicy = list(
      MinimumLength = 10, RequireUppercase = TRUE, RequireLowercase = TRUE,
      RequireNumbers = TRUE, RequireSymbols = FALSE
    )),
    Schema = list(list(Name = "team", AttributeDataType = "String", Mutable = TRUE,
                       StringAttributeConstraints = list(MinLength = "1", MaxLength = "20"))),
    AutoVerifiedAttributes = "email",
    UserPoolTags = list(project = "cognitoidp", stage = "test")
  )
  pool <- created$UserPool
  id <- pool$Id
  expect_match(id, "^us-east-1_")
  on.exit(try(svc$delete_user_pool(UserPoolId = id), silent = TRUE), add = TRUE)
  expect_identical(pool$Name, pool_name)
  # Integers are doubles, lists of strings are character vectors, maps are
  # named lists, times are POSIXct in GMT.
  expect_identical(pool$Policies$PasswordPolicy$MinimumLength, 10)
  expect_true(pool$Policies$PasswordPolicy$RequireUppercase)
  expect_identical(pool$AutoVerifiedAttributes, "email")
  expect_identical(pool$UserPoolTags, list(project = "cognitoidp", stage = "test"))
  expect_s3_class(pool$CreationDate, "POSIXct")
  expect_identical(attr(pool$CreationDate, "tzone"), "GMT")
  expect_lt(abs(as.numeric(difftime(pool$CreationDate, Sys.time(), units = "secs"))), 300)
  expect_true("custom:team" %in% vapply(pool$SchemaAttributes, `[[`, "", "Name"))
  # Members moto does not send are typed empties, as paws gives them.
  expect_identical(pool$SmsAuthenticationMessage, character(0))
  expect_identical(pool$EstimatedNumberOfUsers, 0)

  described <- svc$describe_user_pool(UserPoolId = id)$UserPool
  expect_identical(described$Id, id)
  expect_identical(described$UserPoolTags, list(project = "cognitoidp", stage = "test"))
  expect_equal(described$CreationDate, pool$CreationDate)
  expect_identical(class(described$LastModifiedDate), c("POSIXct", "POSIXt"))

  client <- svc$create_user_pool_client(
    UserPoolId = id, ClientName = "public-app",
    ExplicitAuthFlows = c("ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH")
  )$UserPoolClient
  client_id <- client$ClientId
  expect_identical(client$ExplicitAuthFlows, c("ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"))
  expect_identical(svc$describe_user_pool_client(UserPoolId = id, ClientId = client_id)$UserPoolClient$ClientName,
                   "public-app")

  user <- svc$admin_create_user(
    UserPoolId = id, Username = "alice",
    UserAttributes = list(list(Name = "email", Value = "alice@example.com"),
                          list(Name = "custom:team", Value = "blue")),
    TemporaryPassword = "Temporary-Pass-1", MessageAction = "SUPPRESS"
  )$User
  expect_identical(user$Username, "alice")
  expect_identical(user$UserStatus, "FORCE_CHANGE_PASSWORD")
  svc$admin_set_user_password(UserPoolId = id, Username = "alice", Password = "Permanent-Pass-1", Permanent = TRUE)
  got <- svc$admin_get_user(UserPoolId = id, Username = "alice")
  expect_identical(got$UserStatus, "CONFIRMED")
  attrs <- stats::setNames(vapply(got$UserAttributes, `[[`, "", "Value"), vapply(got$UserAttributes, `[[`, "", "Name"))
  expect_identical(attrs[["custom:team"]], "blue")

  # Sign-in as a public app does it: no AWS credentials anywhere, only a
  # region and (for the emulator) an endpoint.
  signed_in <- run_in_fresh_r(bquote({
    Sys.unsetenv(c("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"))
    Sys.setenv(AWS_EC2_METADATA_DISABLED = "true", AWS_CONFIG_FILE = tempfile(), AWS_SHARED_CREDENTIALS_FILE = tempfile())
    app <- cognitoidentityprovider(config = list(region = "us-east-1", endpoint = .(moto_endpoint())))
    started <- Sys.time()
    auth <- app$initiate_auth(
      AuthFlow = "USER_PASSWORD_AUTH", ClientId = .(client_id),
      AuthParameters = list(USERNAME = "alice", PASSWORD = "Permanent-Pass-1")
    )$AuthenticationResult
    me <- app$get_user(AccessToken = auth$AccessToken)
    changed <- app$change_password(PreviousPassword = "Permanent-Pass-1", ProposedPassword = "Changed-Pass-2",
                                   AccessToken = auth$AccessToken)
    again <- app$initiate_auth(
      AuthFlow = "USER_PASSWORD_AUTH", ClientId = .(client_id),
      AuthParameters = list(USERNAME = "alice", PASSWORD = "Changed-Pass-2")
    )$AuthenticationResult
    wrong <- tryCatch(app$initiate_auth(
      AuthFlow = "USER_PASSWORD_AUTH", ClientId = .(client_id),
      AuthParameters = list(USERNAME = "alice", PASSWORD = "Permanent-Pass-1")
    ), error = function(e) e)
    signed <- tryCatch(app$list_users(UserPoolId = .(id)), error = function(e) e)
    list(auth = auth, me = me, changed = changed, again = again, wrong = wrong, signed = signed,
         seconds = as.numeric(difftime(Sys.time(), started, units = "secs")))
  }))
  expect_false(inherits(signed_in, "error"), info = conditionMessage(signed_in))
  expect_identical(signed_in$auth$TokenType, "Bearer")
  expect_identical(signed_in$auth$ExpiresIn, 3600)
  expect_true(nzchar(signed_in$auth$AccessToken))
  expect_identical(signed_in$me$Username, "alice")
  expect_identical(signed_in$changed, list())
  expect_true(nzchar(signed_in$again$AccessToken))
  expect_s3_class(signed_in$wrong, "NotAuthorizedException")
  expect_s3_class(signed_in$wrong, "http_400")
  # An operation that must be signed fails there for want of credentials,
  # without stalling on a credentials lookup.
  expect_s3_class(signed_in$signed, "cognitoidp_credentials_error")
  expect_lt(signed_in$seconds, 10)
  # The sign-in requests went unsigned; the administrator's were signed.
  auth_request <- moto_last_request("InitiateAuth")
  expect_null(auth_request$headers[["authorization"]])
  expect_identical(signed_with(moto_last_request("AdminSetUserPassword"))[["access_key_id"]], "AKIDTEST")
  # The password travelled in AuthParameters, as the caller gave it.
  expect_identical(auth_request$body$AuthParameters$USERNAME, "alice")

  # Groups.
  group <- svc$create_group(UserPoolId = id, GroupName = "admins", Description = "Administrators", Precedence = 1)$Group
  expect_identical(group$Precedence, 1)
  expect_s3_class(group$CreationDate, "POSIXct")
  svc$admin_add_user_to_group(UserPoolId = id, Username = "alice", GroupName = "admins")
  members <- svc$list_users_in_group(UserPoolId = id, GroupName = "admins")$Users
  expect_identical(vapply(members, `[[`, "", "Username"), "alice")
  groups <- svc$admin_list_groups_for_user(Username = "alice", UserPoolId = id)$Groups
  expect_identical(vapply(groups, `[[`, "", "GroupName"), "admins")

  # 25 more users, read back ten at a time through paginate().
  for (i in 1:25) svc$admin_create_user(UserPoolId = id, Username = sprintf("user%02d", i), MessageAction = "SUPPRESS")
  pages <- paginate(svc$list_users(UserPoolId = id), PageSize = 10)
  expect_identical(lengths(lapply(pages, `[[`, "Users")), c(10L, 10L, 6L))
  names_seen <- unlist(lapply(pages, function(p) vapply(p$Users, `[[`, "", "Username")))
  expect_setequal(names_seen, c("alice", sprintf("user%02d", 1:25)))
  # Every page is a whole answer; the last one has no token.
  expect_true(nzchar(pages[[1]]$PaginationToken))
  expect_identical(pages[[3]]$PaginationToken, character(0))
  # The same with the paws helpers, MaxItems and do.call().
  counts <- paginate_sapply(svc$list_users(UserPoolId = id, Limit = 10), function(p) length(p$Users))
  expect_identical(counts, c(10L, 10L, 6L))
  expect_length(paginate(do.call(svc$list_users, list(UserPoolId = id)), PageSize = 5, MaxItems = 12), 3)
  expect_identical(list_paginators(svc)[1:2], c("admin_list_groups_for_user", "admin_list_user_auth_events"))

  # The UI customization, with an image given as a raw vector.
  logo <- as.raw(c(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, sample(0:255, 64, replace = TRUE)))
  ui <- tryCatch(svc$set_ui_customization(UserPoolId = id, ClientId = client_id, CSS = ".banner { color: red; }",
                                          ImageFile = logo), error = function(e) e)
  sent <- moto_last_request("SetUICustomization")
  expect_identical(jsonlite::base64_dec(sent$body$ImageFile), logo)
  expect_identical(sent$body$CSS, ".banner { color: red; }")
  if (!inherits(ui, "error")) expect_identical(ui$UICustomization$CSS, ".banner { color: red; }")

  # Errors.
  missing_pool <- catch_error(svc$describe_user_pool(UserPoolId = "us-east-1_doesnotexist"))
  expect_s3_class(missing_pool, "ResourceNotFoundException")
  expect_s3_class(missing_pool, "paws_error")
  expect_identical(missing_pool$status_code, 400L)

  # Deleting it all.
  svc$admin_remove_user_from_group(UserPoolId = id, Username = "alice", GroupName = "admins")
  svc$delete_group(GroupName = "admins", UserPoolId = id)
  svc$admin_delete_user(UserPoolId = id, Username = "alice")
  svc$delete_user_pool_client(UserPoolId = id, ClientId = client_id)
  expect_identical(svc$delete_user_pool(UserPoolId = id), list())
  expect_s3_class(catch_error(svc$describe_user_pool(UserPoolId = id)), "ResourceNotFoundException")
})

test_that("tags reach the wire though moto does not implement them", {
  svc <- moto_svc()
  arn <- "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_tagged"
  err <- catch_error(svc$tag_resource(ResourceArn = arn, Tags = list(owner = "team-a")))
  # moto answers these with an HTML page: an error with paws's HTTP classes.
  expect_s3_class(err, "paws_error")
  expect_s3_class(err, "http_error")
  expect_identical(moto_last_request("TagResource")$body, list(ResourceArn = arn, Tags = list(owner = "team-a")))
})
