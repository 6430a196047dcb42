"""Hand-written examples for the help pages of the operations people reach
first, by service and paws name, as R code. rd.py puts them into
`\\examples{\\dontrun{...}}`, escaping backslashes and percent signs; braces
must balance. Every other operation's page shows the shortest call, built
from its required arguments. `check()` makes sure each example is for, and
only calls, operations that exist."""

import re

POOL = '"us-east-1_EXAMPLE"'
CLIENT = '"1example23456789"'

# By service: {paws name: code}.
EXAMPLES = {"cognitoidentityprovider": {}, "cognitoidentity": {}}
USER_POOLS = EXAMPLES["cognitoidentityprovider"]
IDENTITY_POOLS = EXAMPLES["cognitoidentity"]

USER_POOLS["create_user_pool"] = f"""
svc <- cognitoidentityprovider()

# A user pool where people sign in with their email address, verified with a
# code sent by email, and recover their account by email.
pool <- svc$create_user_pool(
  PoolName = "my-app-users",
  Policies = list(
    PasswordPolicy = list(
      MinimumLength = 12,
      RequireUppercase = TRUE,
      RequireLowercase = TRUE,
      RequireNumbers = TRUE,
      RequireSymbols = FALSE,
      TemporaryPasswordValidityDays = 7
    )
  ),
  UsernameAttributes = "email",
  AutoVerifiedAttributes = "email",
  Schema = list(
    list(
      Name = "email",
      AttributeDataType = "String",
      Required = TRUE,
      Mutable = TRUE
    ),
    list(
      Name = "department",  # becomes the custom attribute custom:department
      AttributeDataType = "String",
      Mutable = TRUE,
      StringAttributeConstraints = list(MinLength = "1", MaxLength = "64")
    )
  ),
  AccountRecoverySetting = list(
    RecoveryMechanisms = list(list(Priority = 1, Name = "verified_email"))
  ),
  UserPoolTags = list(project = "my-app")
)
pool$UserPool$Id
pool$UserPool$Arn
"""

USER_POOLS["describe_user_pool"] = f"""
svc <- cognitoidentityprovider()

pool <- svc$describe_user_pool(UserPoolId = {POOL})
pool$UserPool$Name
pool$UserPool$EstimatedNumberOfUsers
pool$UserPool$MfaConfiguration
pool$UserPool$Policies$PasswordPolicy$MinimumLength
"""

USER_POOLS["list_user_pools"] = """
svc <- cognitoidentityprovider()

res <- svc$list_user_pools(MaxResults = 20)
data.frame(
  id = vapply(res$UserPools, function(p) p$Id, ""),
  name = vapply(res$UserPools, function(p) p$Name, "")
)

# Every user pool of the account in this Region, page by page.
pages <- paginate(svc$list_user_pools(MaxResults = 60))
pools <- unlist(lapply(pages, function(p) p$UserPools), recursive = FALSE)
length(pools)
"""

USER_POOLS["delete_user_pool"] = f"""
svc <- cognitoidentityprovider()

# A user pool with deletion protection turned on cannot be deleted; the
# service answers with an InvalidParameterException.
tryCatch(
  svc$delete_user_pool(UserPoolId = {POOL}),
  ResourceNotFoundException = function(e) message("No such user pool"),
  InvalidParameterException = function(e) message(conditionMessage(e))
)
"""

USER_POOLS["create_user_pool_client"] = f"""
svc <- cognitoidentityprovider()

# A public client for a browser or mobile app: no client secret; users sign
# in with SRP or with their password, and tokens are refreshed.
client <- svc$create_user_pool_client(
  UserPoolId = {POOL},
  ClientName = "my-web-app",
  GenerateSecret = FALSE,
  ExplicitAuthFlows = c(
    "ALLOW_USER_SRP_AUTH",
    "ALLOW_USER_PASSWORD_AUTH",
    "ALLOW_REFRESH_TOKEN_AUTH"
  ),
  PreventUserExistenceErrors = "ENABLED",
  AccessTokenValidity = 1,
  IdTokenValidity = 1,
  RefreshTokenValidity = 30,
  TokenValidityUnits = list(
    AccessToken = "hours",
    IdToken = "hours",
    RefreshToken = "days"
  )
)
client$UserPoolClient$ClientId

# A confidential client for a web server that signs users in through managed
# login with the OAuth 2.0 authorization code grant.
client <- svc$create_user_pool_client(
  UserPoolId = {POOL},
  ClientName = "my-server-app",
  GenerateSecret = TRUE,
  AllowedOAuthFlowsUserPoolClient = TRUE,
  AllowedOAuthFlows = "code",
  AllowedOAuthScopes = c("openid", "email", "profile"),
  CallbackURLs = "https://app.example.com/callback",
  LogoutURLs = "https://app.example.com/signed-out",
  SupportedIdentityProviders = "COGNITO"
)
client$UserPoolClient$ClientSecret
"""

USER_POOLS["describe_user_pool_client"] = f"""
svc <- cognitoidentityprovider()

client <- svc$describe_user_pool_client(
  UserPoolId = {POOL},
  ClientId = {CLIENT}
)
client$UserPoolClient$ClientName
client$UserPoolClient$ExplicitAuthFlows
client$UserPoolClient$CallbackURLs
"""

USER_POOLS["list_user_pool_clients"] = f"""
svc <- cognitoidentityprovider()

res <- svc$list_user_pool_clients(
  UserPoolId = {POOL},
  MaxResults = 60
)
for (client in res$UserPoolClients) {{
  cat(client$ClientId, client$ClientName, "\\n")
}}

# All of them, however many pages.
pages <- paginate(svc$list_user_pool_clients(UserPoolId = {POOL}))
"""

USER_POOLS["admin_create_user"] = f"""
svc <- cognitoidentityprovider()

# Amazon Cognito emails the user a temporary password, which must be changed
# at the first sign-in.
res <- svc$admin_create_user(
  UserPoolId = {POOL},
  Username = "jdoe@example.com",
  UserAttributes = list(
    list(Name = "email", Value = "jdoe@example.com"),
    list(Name = "email_verified", Value = "true"),
    list(Name = "given_name", Value = "Jane")
  ),
  DesiredDeliveryMediums = "EMAIL"
)
res$User$UserStatus  # "FORCE_CHANGE_PASSWORD"

# No invitation message, for example before setting a password with
# admin_set_user_password().
svc$admin_create_user(
  UserPoolId = {POOL},
  Username = "jdoe",
  MessageAction = "SUPPRESS"
)
"""

USER_POOLS["admin_get_user"] = f"""
svc <- cognitoidentityprovider()

user <- svc$admin_get_user(UserPoolId = {POOL}, Username = "jdoe")
user$UserStatus
user$Enabled
user$UserCreateDate

# The attributes as a named list.
attributes <- setNames(
  lapply(user$UserAttributes, function(a) a$Value),
  vapply(user$UserAttributes, function(a) a$Name, "")
)
attributes$email
"""

USER_POOLS["admin_set_user_password"] = f"""
svc <- cognitoidentityprovider()

# A permanent password: the user can sign in with it at once, and a user in
# the FORCE_CHANGE_PASSWORD state becomes CONFIRMED.
svc$admin_set_user_password(
  UserPoolId = {POOL},
  Username = "jdoe",
  Password = Sys.getenv("NEW_USER_PASSWORD"),
  Permanent = TRUE
)

# A temporary password, to be changed at the next sign-in.
svc$admin_set_user_password(
  UserPoolId = {POOL},
  Username = "jdoe",
  Password = Sys.getenv("TEMPORARY_PASSWORD"),
  Permanent = FALSE
)
"""

USER_POOLS["list_users"] = f"""
svc <- cognitoidentityprovider()

# Users whose email address starts with "jane", with two attributes each.
res <- svc$list_users(
  UserPoolId = {POOL},
  Filter = 'email ^= "jane"',
  AttributesToGet = c("email", "given_name"),
  Limit = 60
)
vapply(res$Users, function(u) u$Username, "")

# Every user of the pool, page by page.
pages <- paginate(svc$list_users(UserPoolId = {POOL}))
users <- unlist(lapply(pages, function(p) p$Users), recursive = FALSE)
table(vapply(users, function(u) u$UserStatus, ""))
"""

USER_POOLS["admin_delete_user"] = f"""
svc <- cognitoidentityprovider()

svc$admin_delete_user(UserPoolId = {POOL}, Username = "jdoe")

# Deleting a user that may already be gone.
tryCatch(
  svc$admin_delete_user(UserPoolId = {POOL}, Username = "jdoe"),
  UserNotFoundException = function(e) invisible(NULL)
)
"""

USER_POOLS["create_group"] = f"""
svc <- cognitoidentityprovider()

group <- svc$create_group(
  GroupName = "admins",
  UserPoolId = {POOL},
  Description = "Administrators of the app",
  RoleArn = "arn:aws:iam::123456789012:role/MyAppAdmins",
  Precedence = 1
)
group$Group$CreationDate
"""

USER_POOLS["admin_add_user_to_group"] = f"""
svc <- cognitoidentityprovider()

svc$admin_add_user_to_group(
  UserPoolId = {POOL},
  Username = "jdoe",
  GroupName = "admins"
)
"""

USER_POOLS["list_users_in_group"] = f"""
svc <- cognitoidentityprovider()
pool_id <- {POOL}
group <- "admins"

res <- svc$list_users_in_group(
  UserPoolId = pool_id,
  GroupName = group,
  Limit = 60
)
vapply(res$Users, function(u) u$Username, "")

# All members of the group, however many pages.
pages <- paginate(
  svc$list_users_in_group(UserPoolId = pool_id, GroupName = group)
)
length(unlist(lapply(pages, function(p) p$Users), recursive = FALSE))
"""

USER_POOLS["admin_list_groups_for_user"] = f"""
svc <- cognitoidentityprovider()

res <- svc$admin_list_groups_for_user(
  Username = "jdoe",
  UserPoolId = {POOL}
)
vapply(res$Groups, function(g) g$GroupName, "")
"""

SIGN_IN = f"""
# Sign-in requests are not signed: a Region is all the configuration needed.
svc <- cognitoidentityprovider(region = "us-east-1")

# An app client without a secret that allows ALLOW_USER_PASSWORD_AUTH.
auth <- svc$initiate_auth(
  AuthFlow = "USER_PASSWORD_AUTH",
  ClientId = {CLIENT},
  AuthParameters = list(
    USERNAME = "jdoe",
    PASSWORD = Sys.getenv("COGNITO_PASSWORD")
  )
)
access_token <- auth$AuthenticationResult$AccessToken
""".strip("\n")

USER_POOLS["initiate_auth"] = f"""
{SIGN_IN}

# When the user pool asks for more (a new password, an MFA code, ...),
# ChallengeName says what; answer with svc$respond_to_auth_challenge(),
# passing on auth$Session.
if (length(auth$ChallengeName) > 0) {{
  auth$ChallengeName
}}

# New ID and access tokens from the refresh token.
refresh_token <- auth$AuthenticationResult$RefreshToken
renewed <- svc$initiate_auth(
  AuthFlow = "REFRESH_TOKEN_AUTH",
  ClientId = {CLIENT},
  AuthParameters = list(REFRESH_TOKEN = refresh_token)
)
renewed$AuthenticationResult$ExpiresIn
"""

USER_POOLS["get_user"] = f"""
{SIGN_IN}

me <- svc$get_user(AccessToken = access_token)
me$Username
vapply(me$UserAttributes, function(a) a$Name, "")
"""

USER_POOLS["change_password"] = f"""
{SIGN_IN}

svc$change_password(
  PreviousPassword = Sys.getenv("COGNITO_PASSWORD"),
  ProposedPassword = Sys.getenv("NEW_COGNITO_PASSWORD"),
  AccessToken = access_token
)
"""

USER_POOLS["sign_up"] = f"""
svc <- cognitoidentityprovider(region = "us-east-1")

# With an app client that has a secret, SecretHash must be given too.
res <- svc$sign_up(
  ClientId = {CLIENT},
  Username = "jdoe@example.com",
  Password = Sys.getenv("NEW_USER_PASSWORD"),
  UserAttributes = list(
    list(Name = "email", Value = "jdoe@example.com"),
    list(Name = "given_name", Value = "Jane")
  )
)
res$UserConfirmed                    # FALSE until the code is confirmed
res$CodeDeliveryDetails$Destination  # where the code went, masked
res$UserSub
"""

USER_POOLS["confirm_sign_up"] = f"""
svc <- cognitoidentityprovider(region = "us-east-1")

# The code the user received after sign_up().
svc$confirm_sign_up(
  ClientId = {CLIENT},
  Username = "jdoe@example.com",
  ConfirmationCode = "123456"
)
"""

USER_POOLS["set_user_pool_mfa_config"] = f"""
svc <- cognitoidentityprovider()

# Require MFA for every user, with an authenticator app.
svc$set_user_pool_mfa_config(
  UserPoolId = {POOL},
  SoftwareTokenMfaConfiguration = list(Enabled = TRUE),
  MfaConfiguration = "ON"
)

# Optional MFA by SMS or authenticator app, with a custom SMS text.
svc$set_user_pool_mfa_config(
  UserPoolId = {POOL},
  SmsMfaConfiguration = list(
    SmsAuthenticationMessage = "Your sign-in code is {{####}}",
    SmsConfiguration = list(
      SnsCallerArn = "arn:aws:iam::123456789012:role/CognitoSmsRole",
      ExternalId = "my-external-id"
    )
  ),
  SoftwareTokenMfaConfiguration = list(Enabled = TRUE),
  MfaConfiguration = "OPTIONAL"
)

# The package-level function, with the default configuration.
cognitoidentityprovider_set_user_pool_mfa_config(
  {POOL}, NULL, list(Enabled = TRUE), "OFF"
)
"""

USER_POOLS["get_user_pool_mfa_config"] = f"""
svc <- cognitoidentityprovider()

mfa <- svc$get_user_pool_mfa_config(UserPoolId = {POOL})
mfa$MfaConfiguration
isTRUE(mfa$SoftwareTokenMfaConfiguration$Enabled)

# The package-level function, with the default configuration.
cognitoidentityprovider_get_user_pool_mfa_config({POOL})
"""

USER_POOLS["set_ui_customization"] = f"""
svc <- cognitoidentityprovider()

# The classic hosted UI of every app client of the pool: a logo and colours.
logo <- "logo.png"
svc$set_ui_customization(
  UserPoolId = {POOL},
  ClientId = "ALL",
  CSS = paste(
    ".banner-customizable {{ background-color: #1a4f8b; }}",
    ".submitButton-customizable {{ background-color: #1a4f8b; }}"
  ),
  ImageFile = readBin(logo, "raw", file.size(logo))
)
"""


IDENTITY_POOL = '"us-east-1:0example-1234-5678-9abc-def012345678"'
ISSUER = '"cognito-idp.us-east-1.amazonaws.com/us-east-1_EXAMPLE"'

IDENTITY_POOLS["get_id"] = f"""
# Needs no AWS credentials: the user's ID token stands for them.
svc <- cognitoidentity(config = list(region = "us-east-1"))

id_token <- "eyJraWQiOi..."  # the IdToken of a user-pool sign-in
logins <- list({ISSUER} = id_token)
id <- svc$get_id(IdentityPoolId = {IDENTITY_POOL}, Logins = logins)
creds <- svc$get_credentials_for_identity(IdentityId = id$IdentityId, Logins = logins)
creds$Credentials$Expiration
"""

IDENTITY_POOLS["get_credentials_for_identity"] = IDENTITY_POOLS["get_id"]

IDENTITY_POOLS["create_identity_pool"] = f"""
svc <- cognitoidentity()

# An identity pool that trusts one user pool's app client.
pool <- svc$create_identity_pool(
  IdentityPoolName = "my_identity_pool",
  AllowUnauthenticatedIdentities = FALSE,
  CognitoIdentityProviders = list(list(
    ProviderName = {ISSUER},
    ClientId = "1example23456789"
  ))
)
svc$set_identity_pool_roles(
  IdentityPoolId = pool$IdentityPoolId,
  Roles = list(authenticated = "arn:aws:iam::123456789012:role/MyAppUser")
)
"""


def check(api):
    """Each example is for an operation that exists, calls only operations
    that exist, and has balanced braces (Rd needs them so)."""
    modules = {o["module"] for o in api.operations}
    service = api.service.name
    problems = []
    for module, code in sorted(EXAMPLES.get(service, {}).items()):
        if module not in modules:
            problems.append(f"example for unknown operation {module}")
        for called in re.findall(r"svc\$(\w+)\(", code) + re.findall(service + r"_(\w+)\(", code):
            if called not in modules:
                problems.append(f"example of {module} calls unknown operation {called}")
        if code.count("{") != code.count("}"):
            problems.append(f"example of {module} has unbalanced braces")
    if problems:
        raise ValueError("examples.py: " + "; ".join(problems))
