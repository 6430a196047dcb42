# The .Call entry points of the Rust core (src/rust/src/lib.rs): those of its
# `extendr_module!`, and wrap__cip_call, registered beside them. A test
# compares the names used here with the routines the library registers.

cip_settings_handle <- function(settings) .Call(wrap__cip_settings_handle, settings)

# `service` is paws's name of the service (cognitoidentityprovider,
# cognitoidentity), `operation` the operation's paws name within it.

cip_call <- function(handle, service, operation, args) .Call(wrap__cip_call, handle, service, operation, args)

cip_check_args <- function(service, operation, args) .Call(wrap__cip_check_args, service, operation, args)

cip_request_body <- function(service, operation, args) .Call(wrap__cip_request_body, service, operation, args)

cip_output_template <- function(service, operation) .Call(wrap__cip_output_template, service, operation)

cip_batch_start <- function(handle, service, operation, requests, concurrency) {
  .Call(wrap__cip_batch_start, handle, service, operation, requests, concurrency)
}

cip_paginate_start <- function(handle, service, operation, args, max_items, stop_on_same_token) {
  .Call(wrap__cip_paginate_start, handle, service, operation, args, max_items, stop_on_same_token)
}

cip_job_poll <- function(job, seconds) .Call(wrap__cip_job_poll, job, seconds)

cip_job_cancel <- function(job) invisible(.Call(wrap__cip_job_cancel, job))

cip_job_results <- function(job) .Call(wrap__cip_job_results, job)

cip_minimal_args <- function(service, operation) .Call(wrap__cip_minimal_args, service, operation)

# Sign-in (src/rust/src/auth_calls.rs).

cip_srp_start <- function() .Call(wrap__cip_srp_start)

cip_srp_timestamp <- function() .Call(wrap__cip_srp_timestamp)

cip_srp_claim <- function(handle, pool_name, user_id, salt, srp_b, secret_block, password, timestamp) {
  .Call(wrap__cip_srp_claim, handle, pool_name, user_id, salt, srp_b, secret_block, password, timestamp)
}

cip_secret_hash <- function(username, client_id, client_secret) {
  .Call(wrap__cip_secret_hash, username, client_id, client_secret)
}

cip_device_secret <- function(device_group_key, device_key) {
  .Call(wrap__cip_device_secret, device_group_key, device_key)
}

cip_token_claims <- function(token) .Call(wrap__cip_token_claims, token)

# Trusting tokens and the OAuth endpoints (auth_calls.rs).

cip_verify_tokens <- function(tokens, issuer, jwks_uri, token_use, client_ids, groups, scopes, grace_seconds,
                              jwks_timeout) {
  .Call(wrap__cip_verify_tokens, tokens, issuer, jwks_uri, token_use, client_ids, groups, scopes, grace_seconds,
        jwks_timeout)
}

cip_preload_keys <- function(jwks_uri, jwks) .Call(wrap__cip_preload_keys, jwks_uri, jwks)

cip_pkce <- function() .Call(wrap__cip_pkce)

cip_web_request <- function(method, url, form, bearer, client_id, client_secret, timeout) {
  .Call(wrap__cip_web_request, method, url, form, bearer, client_id, client_secret, timeout)
}

# Identity pools' credentials (identity_calls.rs).

cip_aws_credentials <- function(handle, identity_pool_id, provider, id_token, subject, custom_role_arn, account_id,
                                role_arn, session_name) {
  .Call(wrap__cip_aws_credentials, handle, identity_pool_id, provider, id_token, subject, custom_role_arn, account_id,
        role_arn, session_name)
}

cip_forget_identities <- function() invisible(.Call(wrap__cip_forget_identities))

cip_credentials_source <- function(app_handle, identity_handle, identity_pool_id, provider, subject, client_id,
                                   refresh_token, secret_hash, device_key, custom_role_arn, account_id, role_arn,
                                   session_name, max_lifetime) {
  .Call(wrap__cip_credentials_source, app_handle, identity_handle, identity_pool_id, provider, subject, client_id,
        refresh_token, secret_hash, device_key, custom_role_arn, account_id, role_arn, session_name, max_lifetime)
}

# The Shiny sign-in module's sealed cookies, random tokens and QR codes
# (webapp_calls.rs).

cip_seal <- function(key, purpose, payload, lifetime_secs) {
  .Call(wrap__cip_seal, key, purpose, payload, lifetime_secs)
}

cip_open <- function(key, purpose, sealed) .Call(wrap__cip_open, key, purpose, sealed)

cip_random_token <- function(bytes) .Call(wrap__cip_random_token, bytes)

cip_qr_svg <- function(text, scale) .Call(wrap__cip_qr_svg, text, scale)
