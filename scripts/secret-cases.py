#!/usr/bin/env python3
"""Generated Dockerfiles that measure hardcoded-secret detection.

    scripts/secret-cases.py generate --out DIR [--seed 1]
    scripts/secret-cases.py score --cases DIR --bin target/debug/shipshape \
        [--baseline tests/data/secret-baseline.json [--record]]

`generate` writes one Dockerfile per credential kind and name style, placing
a value of that kind in every shape a value can be assigned in a Dockerfile
(ENV/ARG/LABEL, `export`/prefix/`env` in RUN, `docker build --build-arg` and
`docker run -e`, KEY=value / YAML / JSON lines in heredocs and in `echo` or
`printf` output, Kubernetes Secret manifests, and the credential fields of
.npmrc, .pypirc, .netrc, settings.xml, pip.conf and ~/.docker/config.json),
with traps beside them: values that look like secrets but are not
(references, placeholders, checksums, fingerprints, public keys, ...).
`labels.json` says which lines hold which kind in which shape, and which
lines are traps.

Kinds are this script's own table, written from each vendor's documented
format (prefix, alphabet, length, checksum); values are random from a fixed
seed and are never real credentials. It is an oracle independent of
rules/data/secrets.toml: never derive one from the other.

A kind is either distinctive alone or needs a context word (a vendor word or
a secret-ish name). Under neutral names a context-needing kind is "not
required": counted apart, never a miss. The credential fields of config
files (style "format") are context for every kind.

`score` lints the cases with `shipshape lint --isolated --format json` and
prints recall per kind, category, shape and name style, and precision: a
secret is found when a rule of the `secret` family (scripts/families.json)
starts a finding on one of its lines; a finding on a trap line or on no
labelled line is a false alarm. With --baseline it exits 1 when precision,
or the recall of a kind or a shape, is below the recorded value; --record
writes the current values instead.

Python 3.11 standard library only.
"""
import argparse
import base64
import binascii
import json
import os
import random
import re
import string
import subprocess
import sys
import time
import urllib.parse
import uuid as uuidlib
from collections import defaultdict

GENERATOR_VERSION = 2

ALNUM = string.ascii_letters + string.digits
LOWER_ALNUM = string.ascii_lowercase + string.digits
UPPER_ALNUM = string.ascii_uppercase + string.digits
HEX = "0123456789abcdef"
UPPER_HEX = HEX.upper()
B64 = string.ascii_letters + string.digits + "+/"
B64URL = string.ascii_letters + string.digits + "-_"
B32 = string.ascii_uppercase + "234567"
DIGITS = string.digits
BASE62 = string.digits + string.ascii_uppercase + string.ascii_lowercase
BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
# Passwords people choose for databases: letters, digits and the symbols
# that need no quoting in a shell word or a URL.
PASSWORD = ALNUM + "_-.~"
WORDS = ("orange river castle lantern meadow copper falcon harbor violet"
         " thunder maple granite velvet summit willow ember").split()


def c(r, alphabet, n):
    return "".join(r.choice(alphabet) for _ in range(n))


def b64(data, url=False, pad=True):
    s = (base64.urlsafe_b64encode if url else base64.b64encode)(data).decode()
    return s if pad else s.rstrip("=")


def uuid(r):
    return str(uuidlib.UUID(int=r.getrandbits(128), version=4))


def base62(n, width):
    out = ""
    while n:
        n, d = divmod(n, 62)
        out = BASE62[d] + out
    return out.rjust(width, "0")


def crc_token(r, prefix):
    """GitHub's (and npm's) token format: prefix, 30 random base62
    characters, and the CRC32 of those 30 characters in 6 base62 digits."""
    body = c(r, ALNUM, 30)
    return prefix + body + base62(binascii.crc32(body.encode()), 6)


def jwt(r, payload):
    head = b64(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode(), True, False)
    body = b64(json.dumps(payload, separators=(",", ":")).encode(), True, False)
    return f"{head}.{body}.{b64(r.randbytes(32), True, False)}"


def macaroon(r, location):
    """A PyPI API token: `pypi-` and a base64url macaroon (v2 binary) whose
    location field is the index's host name."""
    ident = uuid(r).encode()
    data = (b"\x02\x01" + bytes([len(location)]) + location + b"\x02" + bytes([len(ident)]) + ident
            + b"\x00\x00\x06\x20" + r.randbytes(32))
    return "pypi-" + b64(data, True, False)


def password(r):
    return c(r, string.ascii_uppercase, 1) + c(r, PASSWORD, 14) + c(r, DIGITS, 2)


def words_password(r):
    return "-".join(r.sample(WORDS, 3))


def pct(s):
    return urllib.parse.quote(s, safe="")


class Kind:
    def __init__(self, kid, cat, gen, ctx=False, names=(), fmt=True, multiline=False, path=None):
        self.id, self.cat, self.gen, self.ctx = kid, cat, gen, ctx
        self.names = names or (kid.upper(),)
        self.fmt = fmt  # may stand in a config file's credential field
        self.multiline = multiline
        self.path = path  # where a developer writes a key file


K = Kind
KINDS = [
    # --- cloud providers -------------------------------------------------
    K("aws_access_key_id", "cloud", lambda r: "AKIA" + c(r, B32, 16), names=("AWS_ACCESS_KEY_ID",)),
    K("aws_sts_access_key_id", "cloud", lambda r: "ASIA" + c(r, B32, 16), names=("AWS_ACCESS_KEY_ID",)),
    K("aws_secret_access_key", "cloud", lambda r: c(r, ALNUM + "/+", 40), ctx=True, names=("AWS_SECRET_ACCESS_KEY",)),
    K("aws_session_token", "cloud", lambda r: "IQoJb3JpZ2luX2Vj" + c(r, B64, 340), ctx=True, names=("AWS_SESSION_TOKEN",)),
    K("aws_bedrock_api_key", "cloud", lambda r: "ABSK" + b64(b"BedrockAPIKey-" + r.randbytes(90)), names=("AWS_BEARER_TOKEN_BEDROCK",)),
    K("gcp_api_key", "cloud", lambda r: "AIza" + c(r, B64URL, 35), names=("GOOGLE_API_KEY", "GEMINI_API_KEY")),
    K("gcp_oauth_client_secret", "cloud", lambda r: "GOCSPX-" + c(r, B64URL, 28), names=("GOOGLE_CLIENT_SECRET",)),
    K("azure_storage_account_key", "cloud", lambda r: b64(r.randbytes(64)), ctx=True, names=("AZURE_STORAGE_KEY",)),
    K("azure_storage_connection_string", "cloud", lambda r: "DefaultEndpointsProtocol=https;AccountName=app"
      + c(r, LOWER_ALNUM, 8) + ";AccountKey=" + b64(r.randbytes(64)) + ";EndpointSuffix=core.windows.net",
      names=("AZURE_STORAGE_CONNECTION_STRING",), fmt=False),
    K("azure_entra_client_secret", "cloud", lambda r: c(r, ALNUM, 3) + c(r, DIGITS, 1) + "Q~" + c(r, ALNUM + "_~.-", 34),
      names=("AZURE_CLIENT_SECRET",)),
    K("azure_sas_token", "cloud", lambda r: "sv=2022-11-02&ss=b&srt=sco&sp=rl&se=2026-01-01T00:00:00Z&spr=https&sig="
      + pct(b64(r.randbytes(32))), names=("AZURE_STORAGE_SAS_TOKEN",), fmt=False),
    K("azure_cosmosdb_connection_string", "cloud", lambda r: "AccountEndpoint=https://app" + c(r, LOWER_ALNUM, 6)
      + ".documents.azure.com:443/;AccountKey=" + b64(r.randbytes(64)) + ";", names=("COSMOS_CONNECTION_STRING",), fmt=False),
    K("azure_servicebus_connection_string", "cloud", lambda r: "Endpoint=sb://app" + c(r, LOWER_ALNUM, 6)
      + ".servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=" + b64(r.randbytes(32)),
      names=("SERVICEBUS_CONNECTION_STRING",), fmt=False),
    K("azure_devops_pat", "source", lambda r: c(r, "abcdefghijklmnopqrstuvwxyz234567", 52), ctx=True, names=("AZURE_DEVOPS_PAT", "ADO_TOKEN")),
    K("digitalocean_pat", "cloud", lambda r: "dop_v1_" + c(r, HEX, 64), names=("DIGITALOCEAN_TOKEN",)),
    K("digitalocean_oauth", "cloud", lambda r: "doo_v1_" + c(r, HEX, 64), names=("DIGITALOCEAN_ACCESS_TOKEN",)),
    K("digitalocean_refresh", "cloud", lambda r: "dor_v1_" + c(r, HEX, 64), names=("DIGITALOCEAN_REFRESH_TOKEN",)),
    K("alibaba_access_key_id", "cloud", lambda r: "LTAI" + c(r, ALNUM, 20), names=("ALIBABA_CLOUD_ACCESS_KEY_ID",)),
    K("alibaba_access_key_secret", "cloud", lambda r: c(r, ALNUM, 30), ctx=True, names=("ALIBABA_CLOUD_ACCESS_KEY_SECRET",)),
    K("tencent_secret_id", "cloud", lambda r: "AKID" + c(r, ALNUM, 32), names=("TENCENTCLOUD_SECRET_ID",)),
    K("ibm_cloud_api_key", "cloud", lambda r: c(r, B64URL, 44), ctx=True, names=("IBMCLOUD_API_KEY",)),
    K("heroku_api_key", "cloud", uuid, ctx=True, names=("HEROKU_API_KEY",)),
    K("heroku_v2_token", "cloud", lambda r: "HRKU-AA" + c(r, B64URL, 58), names=("HEROKU_API_KEY",)),
    K("linode_token", "cloud", lambda r: c(r, HEX, 64), ctx=True, names=("LINODE_TOKEN",)),
    K("scaleway_secret_key", "cloud", uuid, ctx=True, names=("SCW_SECRET_KEY",)),
    K("vultr_api_key", "cloud", lambda r: c(r, UPPER_ALNUM, 36), ctx=True, names=("VULTR_API_KEY",)),
    K("hetzner_cloud_token", "cloud", lambda r: c(r, ALNUM, 64), ctx=True, names=("HCLOUD_TOKEN",)),
    K("cloudflare_api_token", "cloud", lambda r: c(r, B64URL, 40), ctx=True, names=("CLOUDFLARE_API_TOKEN", "CF_API_TOKEN")),
    K("cloudflare_global_api_key", "cloud", lambda r: c(r, HEX, 37), ctx=True, names=("CLOUDFLARE_API_KEY",)),
    K("cloudflare_origin_ca_key", "cloud", lambda r: "v1.0-" + c(r, HEX, 24) + "-" + c(r, HEX, 146), names=("CF_ORIGIN_CA_KEY",)),
    K("fastly_api_token", "cloud", lambda r: c(r, B64URL, 32), ctx=True, names=("FASTLY_API_TOKEN",)),
    K("netlify_pat", "cloud", lambda r: "nfp_" + c(r, ALNUM, 36), names=("NETLIFY_AUTH_TOKEN",)),
    K("vercel_token", "cloud", lambda r: c(r, ALNUM, 24), ctx=True, names=("VERCEL_TOKEN",)),
    K("flyio_token", "cloud", lambda r: "fo1_" + c(r, B64URL, 43), names=("FLY_API_TOKEN",)),
    K("render_api_key", "cloud", lambda r: "rnd_" + c(r, ALNUM, 32), names=("RENDER_API_KEY",)),
    K("supabase_pat", "cloud", lambda r: "sbp_" + c(r, HEX, 40), names=("SUPABASE_ACCESS_TOKEN",)),
    K("yandex_api_key", "cloud", lambda r: "AQVN" + c(r, B64URL, 36), names=("YC_API_KEY",)),
    K("tailscale_auth_key", "cloud", lambda r: "tskey-auth-k" + c(r, ALNUM, 10) + "CNTRL-" + c(r, ALNUM, 32), names=("TS_AUTHKEY",)),
    K("databricks_token", "cloud", lambda r: "dapi" + c(r, HEX, 32), names=("DATABRICKS_TOKEN",)),
    K("confluent_api_secret", "cloud", lambda r: c(r, ALNUM + "+/", 64), ctx=True, names=("CONFLUENT_CLOUD_API_SECRET",)),
    K("scalingo_token", "cloud", lambda r: "tk-us-" + c(r, B64URL, 48), names=("SCALINGO_API_TOKEN",)),
    # --- source hosting and CI ------------------------------------------
    K("github_pat_classic", "source", lambda r: crc_token(r, "ghp_"), names=("GITHUB_TOKEN", "GH_TOKEN")),
    K("github_oauth", "source", lambda r: crc_token(r, "gho_"), names=("GITHUB_OAUTH_TOKEN",)),
    K("github_user_to_server", "source", lambda r: crc_token(r, "ghu_"), names=("GITHUB_TOKEN",)),
    K("github_server_to_server", "source", lambda r: crc_token(r, "ghs_"), names=("GITHUB_TOKEN",)),
    K("github_refresh", "source", lambda r: crc_token(r, "ghr_"), names=("GITHUB_REFRESH_TOKEN",)),
    K("github_fine_grained_pat", "source", lambda r: "github_pat_" + c(r, ALNUM, 22) + "_" + c(r, ALNUM, 59), names=("GITHUB_PAT",)),
    K("gitlab_pat", "source", lambda r: "glpat-" + c(r, B64URL, 20), names=("GITLAB_TOKEN",)),
    K("gitlab_deploy_token", "source", lambda r: "gldt-" + c(r, B64URL, 20), names=("GITLAB_DEPLOY_TOKEN",)),
    K("gitlab_runner_token", "source", lambda r: "glrt-" + c(r, B64URL, 20), names=("CI_RUNNER_TOKEN",)),
    K("gitlab_ci_job_token", "source", lambda r: "glcbt-" + c(r, B64URL, 20), names=("CI_JOB_TOKEN",)),
    K("gitlab_feed_token", "source", lambda r: "glft-" + c(r, B64URL, 20), names=("GITLAB_FEED_TOKEN",)),
    K("gitlab_trigger_token", "source", lambda r: "glptt-" + c(r, HEX, 40), names=("GITLAB_TRIGGER_TOKEN",)),
    K("gitlab_oauth_secret", "source", lambda r: "gloas-" + c(r, HEX, 64), names=("GITLAB_OAUTH_SECRET",)),
    K("gitlab_agent_token", "source", lambda r: "glagent-" + c(r, B64URL, 50), names=("GITLAB_AGENT_TOKEN",)),
    K("gitlab_runner_registration", "source", lambda r: "GR1348941" + c(r, B64URL, 20), names=("REGISTRATION_TOKEN",)),
    K("gitlab_incoming_mail_token", "source", lambda r: "glimt-" + c(r, LOWER_ALNUM, 25), names=("GITLAB_INCOMING_EMAIL_TOKEN",)),
    K("gitlab_scim_token", "source", lambda r: "glsoat-" + c(r, B64URL, 20), names=("GITLAB_SCIM_TOKEN",)),
    K("gitlab_feature_flags_token", "source", lambda r: "glffct-" + c(r, B64URL, 20), names=("GITLAB_FF_CLIENT_TOKEN",)),
    K("bitbucket_app_password", "source", lambda r: "ATBB" + c(r, ALNUM, 28) + c(r, UPPER_HEX, 8), names=("BITBUCKET_APP_PASSWORD",)),
    K("atlassian_api_token", "source", lambda r: "ATATT3xFfGF0" + c(r, B64URL, 170) + "=" + c(r, UPPER_HEX, 8), names=("JIRA_API_TOKEN",)),
    K("atlassian_legacy_token", "source", lambda r: c(r, ALNUM, 24), ctx=True, names=("CONFLUENCE_API_TOKEN", "JIRA_API_TOKEN")),
    K("circleci_pat", "source", lambda r: "CCIPAT_" + c(r, ALNUM, 22) + "_" + c(r, HEX, 40), names=("CIRCLECI_TOKEN",)),
    K("circleci_legacy_token", "source", lambda r: c(r, HEX, 40), ctx=True, names=("CIRCLE_TOKEN",)),
    K("travis_token", "source", lambda r: c(r, B64URL, 22), ctx=True, names=("TRAVIS_TOKEN",)),
    K("buildkite_api_token", "source", lambda r: "bkua_" + c(r, HEX, 40), names=("BUILDKITE_API_TOKEN",)),
    K("buildkite_agent_token", "source", lambda r: c(r, HEX, 50), ctx=True, names=("BUILDKITE_AGENT_TOKEN",)),
    K("jenkins_api_token", "source", lambda r: "11" + c(r, HEX, 32), ctx=True, names=("JENKINS_API_TOKEN",)),
    K("sourcegraph_token", "source", lambda r: "sgp_" + c(r, HEX, 16) + "_" + c(r, HEX, 40), names=("SRC_ACCESS_TOKEN",)),
    K("gitea_token", "source", lambda r: c(r, HEX, 40), ctx=True, names=("GITEA_TOKEN",)),
    K("harness_pat", "source", lambda r: "pat." + c(r, B64URL, 22) + "." + c(r, HEX, 24) + "." + c(r, ALNUM, 20), names=("HARNESS_API_KEY",)),
    K("codecov_token", "source", uuid, ctx=True, names=("CODECOV_TOKEN",)),
    K("sonarqube_user_token", "source", lambda r: "squ_" + c(r, HEX, 40), names=("SONAR_TOKEN",)),
    K("sonarqube_project_token", "source", lambda r: "sqp_" + c(r, HEX, 40), names=("SONAR_TOKEN",)),
    K("sonarqube_global_token", "source", lambda r: "sqa_" + c(r, HEX, 40), names=("SONAR_TOKEN",)),
    K("snyk_token", "source", uuid, ctx=True, names=("SNYK_TOKEN",)),
    K("terraform_cloud_token", "source", lambda r: c(r, ALNUM, 14) + ".atlasv1." + c(r, B64URL, 67), names=("TFE_TOKEN", "TF_TOKEN_app_terraform_io")),
    K("octopus_api_key", "source", lambda r: "API-" + c(r, UPPER_ALNUM, 27), names=("OCTOPUS_API_KEY",)),
    # --- package registries ---------------------------------------------
    K("npm_access_token", "registry", lambda r: crc_token(r, "npm_"), names=("NPM_TOKEN", "NODE_AUTH_TOKEN")),
    K("npm_legacy_token", "registry", uuid, ctx=True, names=("NPM_TOKEN",)),
    K("pypi_token", "registry", lambda r: macaroon(r, b"pypi.org"), names=("PYPI_TOKEN", "TWINE_PASSWORD")),
    K("testpypi_token", "registry", lambda r: macaroon(r, b"test.pypi.org"), names=("TEST_PYPI_TOKEN",)),
    K("dockerhub_pat", "registry", lambda r: "dckr_pat_" + c(r, B64URL, 27), names=("DOCKERHUB_TOKEN", "DOCKER_PASSWORD")),
    K("dockerhub_oat", "registry", lambda r: "dckr_oat_" + c(r, B64URL, 32), names=("DOCKERHUB_TOKEN",)),
    K("rubygems_api_key", "registry", lambda r: "rubygems_" + c(r, HEX, 48), names=("GEM_HOST_API_KEY",)),
    K("nuget_api_key", "registry", lambda r: "oy2" + c(r, "abcdefghijklmnopqrstuvwxyz234567", 43), names=("NUGET_API_KEY",)),
    K("crates_io_token", "registry", lambda r: "cio" + c(r, ALNUM, 32), names=("CARGO_REGISTRY_TOKEN",)),
    K("jfrog_api_key", "registry", lambda r: "AKCp" + c(r, ALNUM, 69), names=("ARTIFACTORY_API_KEY",)),
    K("jfrog_identity_token", "registry", lambda r: "cmVmdGtuOjAxOj" + c(r, ALNUM, 50), names=("JFROG_ACCESS_TOKEN",)),
    K("clojars_token", "registry", lambda r: "CLOJARS_" + c(r, LOWER_ALNUM, 60), names=("CLOJARS_PASSWORD",)),
    K("pulumi_token", "registry", lambda r: "pul-" + c(r, HEX, 40), names=("PULUMI_ACCESS_TOKEN",)),
    K("cloudsmith_api_key", "registry", lambda r: c(r, HEX, 40), ctx=True, names=("CLOUDSMITH_API_KEY",)),
    K("gemfury_token", "registry", lambda r: c(r, ALNUM, 20), ctx=True, names=("GEMFURY_TOKEN", "FURY_AUTH")),
    K("readme_api_key", "registry", lambda r: "rdme_" + c(r, LOWER_ALNUM, 70), names=("README_API_KEY",)),
    # --- chat and webhooks ----------------------------------------------
    K("slack_bot_token", "chat", lambda r: "xoxb-" + c(r, DIGITS, 12) + "-" + c(r, DIGITS, 13) + "-" + c(r, ALNUM, 24), names=("SLACK_BOT_TOKEN",)),
    K("slack_user_token", "chat", lambda r: "xoxp-" + c(r, DIGITS, 12) + "-" + c(r, DIGITS, 12) + "-" + c(r, DIGITS, 13) + "-" + c(r, HEX, 32), names=("SLACK_USER_TOKEN",)),
    K("slack_app_token", "chat", lambda r: "xapp-1-A" + c(r, UPPER_ALNUM, 10) + "-" + c(r, DIGITS, 13) + "-" + c(r, HEX, 64), names=("SLACK_APP_TOKEN",)),
    K("slack_config_token", "chat", lambda r: "xoxe.xoxp-1-" + c(r, ALNUM, 163), names=("SLACK_CONFIG_TOKEN",)),
    K("slack_refresh_token", "chat", lambda r: "xoxe-1-" + c(r, ALNUM, 146), names=("SLACK_REFRESH_TOKEN",)),
    K("slack_webhook", "chat", lambda r: "https://hooks.slack.com/services/T" + c(r, UPPER_ALNUM, 10) + "/B" + c(r, UPPER_ALNUM, 10)
      + "/" + c(r, ALNUM, 24), names=("SLACK_WEBHOOK_URL",), fmt=False),
    K("slack_workflow_webhook", "chat", lambda r: "https://hooks.slack.com/triggers/T" + c(r, UPPER_ALNUM, 10) + "/"
      + c(r, DIGITS, 13) + "/" + c(r, HEX, 32), names=("SLACK_WEBHOOK_URL",), fmt=False),
    K("discord_bot_token", "chat", lambda r: b64(str(r.randrange(10**17, 10**19)).encode(), pad=False) + "." + c(r, B64URL, 6)
      + "." + c(r, B64URL, 38), ctx=True, names=("DISCORD_BOT_TOKEN",)),
    K("discord_webhook", "chat", lambda r: "https://discord.com/api/webhooks/" + c(r, DIGITS, 19) + "/" + c(r, B64URL, 68),
      names=("DISCORD_WEBHOOK_URL",), fmt=False),
    K("teams_incoming_webhook", "chat", lambda r: f"https://contoso{c(r, LOWER_ALNUM, 4)}.webhook.office.com/webhookb2/{uuid(r)}@{uuid(r)}"
      f"/IncomingWebhook/{c(r, HEX, 32)}/{uuid(r)}/V2{c(r, B64URL, 43)}", names=("TEAMS_WEBHOOK_URL",), fmt=False),
    K("teams_workflow_webhook", "chat", lambda r: f"https://prod-{r.randrange(10, 99)}.westeurope.logic.azure.com:443/workflows/"
      f"{c(r, HEX, 32)}/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig={c(r, B64URL, 43)}",
      names=("TEAMS_WEBHOOK_URL",), fmt=False),
    K("telegram_bot_token", "chat", lambda r: c(r, DIGITS, 10) + ":AA" + c(r, B64URL, 33), names=("TELEGRAM_BOT_TOKEN",)),
    K("mattermost_token", "chat", lambda r: c(r, LOWER_ALNUM, 26), ctx=True, names=("MATTERMOST_TOKEN",)),
    K("google_chat_webhook", "chat", lambda r: "https://chat.googleapis.com/v1/spaces/AAAA" + c(r, B64URL, 7) + "/messages?key=AIza"
      + c(r, B64URL, 35) + "&token=" + c(r, B64URL, 43) + "%3D", names=("GOOGLE_CHAT_WEBHOOK",), fmt=False),
    K("twitter_bearer_token", "chat", lambda r: "AAAAAAAAAAAAAAAAAAAAA" + c(r, ALNUM, 20) + "%3D" + c(r, ALNUM, 50), names=("TWITTER_BEARER_TOKEN",)),
    K("facebook_access_token", "chat", lambda r: "EAA" + c(r, ALNUM, 150), ctx=True, names=("FACEBOOK_ACCESS_TOKEN",)),
    # --- payment ---------------------------------------------------------
    K("stripe_secret_live", "payment", lambda r: "sk_live_51" + c(r, ALNUM, 97), names=("STRIPE_SECRET_KEY",)),
    K("stripe_secret_test", "payment", lambda r: "sk_test_51" + c(r, ALNUM, 97), names=("STRIPE_SECRET_KEY",)),
    K("stripe_restricted_live", "payment", lambda r: "rk_live_51" + c(r, ALNUM, 97), names=("STRIPE_API_KEY",)),
    K("stripe_webhook_secret", "payment", lambda r: "whsec_" + c(r, ALNUM, 32), names=("STRIPE_WEBHOOK_SECRET",)),
    K("square_access_token", "payment", lambda r: "EAAA" + c(r, B64URL, 60), names=("SQUARE_ACCESS_TOKEN",)),
    K("square_oauth_secret", "payment", lambda r: "sq0csp-" + c(r, B64URL, 43), names=("SQUARE_APPLICATION_SECRET",)),
    K("shopify_access_token", "payment", lambda r: "shpat_" + c(r, HEX, 32), names=("SHOPIFY_ACCESS_TOKEN",)),
    K("shopify_shared_secret", "payment", lambda r: "shpss_" + c(r, HEX, 32), names=("SHOPIFY_API_SECRET",)),
    K("shopify_custom_app_token", "payment", lambda r: "shpca_" + c(r, HEX, 32), names=("SHOPIFY_ACCESS_TOKEN",)),
    K("shopify_private_app_token", "payment", lambda r: "shppa_" + c(r, HEX, 32), names=("SHOPIFY_PASSWORD",)),
    K("flutterwave_secret_key", "payment", lambda r: "FLWSECK-" + c(r, HEX, 32) + "-X", names=("FLW_SECRET_KEY",)),
    K("paystack_secret_key", "payment", lambda r: "sk_live_" + c(r, HEX, 40), names=("PAYSTACK_SECRET_KEY",)),
    K("razorpay_key_secret", "payment", lambda r: c(r, ALNUM, 24), ctx=True, names=("RAZORPAY_KEY_SECRET",)),
    K("plaid_secret", "payment", lambda r: c(r, HEX, 30), ctx=True, names=("PLAID_SECRET",)),
    K("plaid_access_token", "payment", lambda r: "access-production-" + uuid(r), names=("PLAID_ACCESS_TOKEN",)),
    K("gocardless_token", "payment", lambda r: "live_" + c(r, B64URL, 40), ctx=True, names=("GOCARDLESS_ACCESS_TOKEN",)),
    K("shippo_token", "payment", lambda r: "shippo_live_" + c(r, HEX, 40), names=("SHIPPO_API_TOKEN",)),
    K("easypost_api_key", "payment", lambda r: "EZAK" + c(r, ALNUM, 54), names=("EASYPOST_API_KEY",)),
    K("duffel_token", "payment", lambda r: "duffel_live_" + c(r, B64URL, 43), names=("DUFFEL_ACCESS_TOKEN",)),
    # --- email and SMS ---------------------------------------------------
    K("sendgrid_api_key", "email", lambda r: "SG." + c(r, B64URL, 22) + "." + c(r, B64URL, 43), names=("SENDGRID_API_KEY",)),
    K("mailgun_api_key", "email", lambda r: "key-" + c(r, HEX, 32), ctx=True, names=("MAILGUN_API_KEY",)),
    K("mailgun_private_key", "email", lambda r: c(r, HEX, 32) + "-" + c(r, HEX, 8) + "-" + c(r, HEX, 8), ctx=True, names=("MAILGUN_API_KEY",)),
    K("mailchimp_api_key", "email", lambda r: c(r, HEX, 32) + "-us" + str(r.randrange(1, 22)), names=("MAILCHIMP_API_KEY",)),
    K("mandrill_api_key", "email", lambda r: c(r, B64URL, 22), ctx=True, names=("MANDRILL_API_KEY",)),
    K("postmark_server_token", "email", uuid, ctx=True, names=("POSTMARK_SERVER_TOKEN",)),
    K("twilio_auth_token", "email", lambda r: c(r, HEX, 32), ctx=True, names=("TWILIO_AUTH_TOKEN",)),
    K("twilio_api_secret", "email", lambda r: c(r, ALNUM, 32), ctx=True, names=("TWILIO_API_SECRET",)),
    K("vonage_api_secret", "email", lambda r: c(r, ALNUM, 16), ctx=True, names=("VONAGE_API_SECRET", "NEXMO_API_SECRET")),
    K("messagebird_api_key", "email", lambda r: c(r, ALNUM, 25), ctx=True, names=("MESSAGEBIRD_API_KEY",)),
    K("brevo_api_key", "email", lambda r: "xkeysib-" + c(r, HEX, 64) + "-" + c(r, ALNUM, 16), names=("BREVO_API_KEY",)),
    K("brevo_smtp_key", "email", lambda r: "xsmtpsib-" + c(r, HEX, 64) + "-" + c(r, ALNUM, 16), names=("BREVO_SMTP_KEY",)),
    K("mailjet_secret_key", "email", lambda r: c(r, HEX, 32), ctx=True, names=("MAILJET_SECRET_KEY", "MJ_APISECRET_PRIVATE")),
    K("sparkpost_api_key", "email", lambda r: c(r, HEX, 40), ctx=True, names=("SPARKPOST_API_KEY",)),
    K("mailersend_token", "email", lambda r: "mlsn." + c(r, HEX, 64), names=("MAILERSEND_API_KEY",)),
    K("plivo_auth_token", "email", lambda r: c(r, ALNUM, 40), ctx=True, names=("PLIVO_AUTH_TOKEN",)),
    # --- observability ---------------------------------------------------
    K("datadog_api_key", "observability", lambda r: c(r, HEX, 32), ctx=True, names=("DD_API_KEY", "DATADOG_API_KEY")),
    K("datadog_app_key", "observability", lambda r: c(r, HEX, 40), ctx=True, names=("DD_APP_KEY",)),
    K("newrelic_user_key", "observability", lambda r: "NRAK-" + c(r, UPPER_ALNUM, 27), names=("NEW_RELIC_API_KEY",)),
    K("newrelic_license_key", "observability", lambda r: c(r, HEX, 36) + "NRAL", names=("NEW_RELIC_LICENSE_KEY",)),
    K("newrelic_insights_insert_key", "observability", lambda r: "NRII-" + c(r, B64URL, 32), names=("NEW_RELIC_INSERT_KEY",)),
    K("sentry_user_token", "observability", lambda r: "sntryu_" + c(r, HEX, 64), names=("SENTRY_AUTH_TOKEN",)),
    K("sentry_org_token", "observability", lambda r: "sntrys_" + b64(json.dumps({"iat": r.randrange(1_700_000_000, 1_800_000_000), "url": "https://sentry.io",
      "region_url": "https://us.sentry.io", "org": "acme"}).encode(), pad=False) + "_" + c(r, B64, 43), names=("SENTRY_AUTH_TOKEN",)),
    K("sentry_legacy_token", "observability", lambda r: c(r, HEX, 64), ctx=True, names=("SENTRY_AUTH_TOKEN",)),
    K("grafana_cloud_token", "observability", lambda r: "glc_" + b64(json.dumps({"o": str(r.randrange(10**5, 10**6)),
      "n": "stack-" + c(r, DIGITS, 6) + "-hm-read", "k": c(r, ALNUM, 24), "m": {"r": "us"}}, separators=(",", ":")).encode(), pad=False),
      names=("GRAFANA_CLOUD_TOKEN",)),
    K("grafana_service_account_token", "observability", lambda r: "glsa_" + c(r, ALNUM, 32) + "_" + c(r, HEX, 8), names=("GRAFANA_TOKEN",)),
    K("grafana_legacy_api_key", "observability", lambda r: b64(json.dumps({"k": c(r, ALNUM, 32), "n": "ci", "id": 1},
      separators=(",", ":")).encode()), names=("GRAFANA_API_KEY",)),
    K("honeycomb_api_key", "observability", lambda r: c(r, ALNUM, 22), ctx=True, names=("HONEYCOMB_API_KEY",)),
    K("dynatrace_token", "observability", lambda r: "dt0c01." + c(r, UPPER_ALNUM, 24) + "." + c(r, UPPER_ALNUM, 64), names=("DT_API_TOKEN",)),
    K("splunk_hec_token", "observability", uuid, ctx=True, names=("SPLUNK_HEC_TOKEN",)),
    K("pagerduty_api_key", "observability", lambda r: "u+" + c(r, B64URL, 18), ctx=True, names=("PAGERDUTY_TOKEN",)),
    K("opsgenie_api_key", "observability", uuid, ctx=True, names=("OPSGENIE_API_KEY",)),
    K("rollbar_token", "observability", lambda r: c(r, HEX, 32), ctx=True, names=("ROLLBAR_ACCESS_TOKEN",)),
    K("bugsnag_api_key", "observability", lambda r: c(r, HEX, 32), ctx=True, names=("BUGSNAG_API_KEY",)),
    K("launchdarkly_sdk_key", "observability", lambda r: "sdk-" + uuid(r), names=("LAUNCHDARKLY_SDK_KEY",)),
    K("launchdarkly_api_token", "observability", lambda r: "api-" + uuid(r), names=("LD_API_TOKEN",)),
    K("posthog_personal_key", "observability", lambda r: "phx_" + c(r, ALNUM, 43), names=("POSTHOG_PERSONAL_API_KEY",)),
    K("axiom_token", "observability", lambda r: "xaat-" + uuid(r), names=("AXIOM_TOKEN",)),
    K("algolia_admin_key", "observability", lambda r: c(r, HEX, 32), ctx=True, names=("ALGOLIA_ADMIN_API_KEY",)),
    K("segment_write_key", "observability", lambda r: c(r, ALNUM, 32), ctx=True, names=("SEGMENT_WRITE_KEY",)),
    # --- AI providers ----------------------------------------------------
    K("openai_project_key", "ai", lambda r: "sk-proj-" + c(r, B64URL, 74) + "T3BlbkFJ" + c(r, B64URL, 74), names=("OPENAI_API_KEY",)),
    K("openai_service_account_key", "ai", lambda r: "sk-svcacct-" + c(r, B64URL, 74) + "T3BlbkFJ" + c(r, B64URL, 74), names=("OPENAI_API_KEY",)),
    K("openai_admin_key", "ai", lambda r: "sk-admin-" + c(r, B64URL, 74) + "T3BlbkFJ" + c(r, B64URL, 74), names=("OPENAI_ADMIN_KEY",)),
    K("openai_legacy_key", "ai", lambda r: "sk-" + c(r, ALNUM, 20) + "T3BlbkFJ" + c(r, ALNUM, 20), names=("OPENAI_API_KEY",)),
    K("anthropic_api_key", "ai", lambda r: "sk-ant-api03-" + c(r, B64URL, 93) + "AA", names=("ANTHROPIC_API_KEY",)),
    K("anthropic_admin_key", "ai", lambda r: "sk-ant-admin01-" + c(r, B64URL, 93) + "AA", names=("ANTHROPIC_ADMIN_KEY",)),
    K("huggingface_token", "ai", lambda r: "hf_" + c(r, string.ascii_letters, 34), names=("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN")),
    K("huggingface_org_token", "ai", lambda r: "api_org_" + c(r, string.ascii_letters, 34), names=("HF_TOKEN",)),
    K("replicate_token", "ai", lambda r: "r8_" + c(r, ALNUM, 37), names=("REPLICATE_API_TOKEN",)),
    K("groq_api_key", "ai", lambda r: "gsk_" + c(r, ALNUM, 52), names=("GROQ_API_KEY",)),
    K("perplexity_api_key", "ai", lambda r: "pplx-" + c(r, ALNUM, 48), names=("PERPLEXITY_API_KEY",)),
    K("xai_api_key", "ai", lambda r: "xai-" + c(r, ALNUM, 80), names=("XAI_API_KEY",)),
    K("openrouter_api_key", "ai", lambda r: "sk-or-v1-" + c(r, HEX, 64), names=("OPENROUTER_API_KEY",)),
    K("langsmith_api_key", "ai", lambda r: "lsv2_pt_" + c(r, HEX, 32) + "_" + c(r, HEX, 10), names=("LANGSMITH_API_KEY",)),
    K("pinecone_api_key", "ai", lambda r: "pcsk_" + c(r, ALNUM, 5) + "_" + c(r, ALNUM, 63), names=("PINECONE_API_KEY",)),
    K("cohere_api_key", "ai", lambda r: c(r, ALNUM, 40), ctx=True, names=("COHERE_API_KEY", "CO_API_KEY")),
    K("mistral_api_key", "ai", lambda r: c(r, ALNUM, 32), ctx=True, names=("MISTRAL_API_KEY",)),
    K("deepseek_api_key", "ai", lambda r: "sk-" + c(r, HEX, 32), ctx=True, names=("DEEPSEEK_API_KEY",)),
    K("together_api_key", "ai", lambda r: c(r, HEX, 64), ctx=True, names=("TOGETHER_API_KEY",)),
    K("wandb_api_key", "ai", lambda r: c(r, HEX, 40), ctx=True, names=("WANDB_API_KEY",)),
    K("elevenlabs_api_key", "ai", lambda r: "sk_" + c(r, HEX, 48), ctx=True, names=("ELEVENLABS_API_KEY",)),
    # --- other SaaS ------------------------------------------------------
    K("linear_api_key", "saas", lambda r: "lin_api_" + c(r, ALNUM, 40), names=("LINEAR_API_KEY",)),
    K("notion_token", "saas", lambda r: "ntn_" + c(r, DIGITS, 11) + c(r, ALNUM, 35), names=("NOTION_TOKEN",)),
    K("airtable_pat", "saas", lambda r: "pat" + c(r, ALNUM, 14) + "." + c(r, HEX, 64), names=("AIRTABLE_API_KEY",)),
    K("asana_pat", "saas", lambda r: "2/" + c(r, DIGITS, 16) + "/" + c(r, DIGITS, 16) + ":" + c(r, HEX, 32), names=("ASANA_ACCESS_TOKEN",)),
    K("figma_pat", "saas", lambda r: "figd_" + c(r, B64URL, 40), names=("FIGMA_TOKEN",)),
    K("postman_api_key", "saas", lambda r: "PMAK-" + c(r, HEX, 24) + "-" + c(r, HEX, 34), names=("POSTMAN_API_KEY",)),
    K("okta_api_token", "saas", lambda r: "00" + c(r, B64URL, 40), ctx=True, names=("OKTA_API_TOKEN",)),
    K("auth0_client_secret", "saas", lambda r: c(r, B64URL, 64), ctx=True, names=("AUTH0_CLIENT_SECRET",)),
    K("contentful_pat", "saas", lambda r: "CFPAT-" + c(r, B64URL, 43), names=("CONTENTFUL_MANAGEMENT_TOKEN",)),
    K("dropbox_short_lived_token", "saas", lambda r: "sl.u." + c(r, B64URL, 140), names=("DROPBOX_ACCESS_TOKEN",)),
    K("typeform_pat", "saas", lambda r: "tfp_" + c(r, B64URL, 44) + "_" + c(r, B64URL, 14), names=("TYPEFORM_TOKEN",)),
    K("mapbox_secret_token", "saas", lambda r: "sk.eyJ1IjoiYWNtZSIsImEiOiJ" + c(r, B64URL, 24) + "." + c(r, B64URL, 22), names=("MAPBOX_SECRET_TOKEN",)),
    K("prefect_api_key", "saas", lambda r: "pnu_" + c(r, ALNUM, 36), names=("PREFECT_API_KEY",)),
    K("adobe_client_secret", "saas", lambda r: "p8e-" + c(r, ALNUM, 32), names=("ADOBE_CLIENT_SECRET",)),
    K("hubspot_private_app_token", "saas", lambda r: "pat-na1-" + uuid(r), names=("HUBSPOT_ACCESS_TOKEN",)),
    K("firebase_fcm_server_key", "saas", lambda r: "AAAA" + c(r, B64URL, 7) + ":APA91b" + c(r, B64URL, 134), names=("FCM_SERVER_KEY",)),
    K("zendesk_api_token", "saas", lambda r: c(r, ALNUM, 40), ctx=True, names=("ZENDESK_API_TOKEN",)),
    K("ngrok_authtoken", "saas", lambda r: "2" + c(r, ALNUM, 26) + "_" + c(r, ALNUM, 21), ctx=True, names=("NGROK_AUTHTOKEN",)),
    K("infracost_api_key", "saas", lambda r: "ico-" + c(r, ALNUM, 32), names=("INFRACOST_API_KEY",)),
    K("defined_networking_key", "saas", lambda r: "dnkey-" + c(r, UPPER_ALNUM, 26) + "-" + c(r, UPPER_ALNUM, 52), names=("DN_API_KEY",)),
    K("jwt_bearer", "saas", lambda r: jwt(r, {"sub": uuid(r), "role": "service_role", "iat": 1700000000}), names=("SUPABASE_SERVICE_ROLE_KEY", "API_JWT")),
    # --- databases and connection strings -------------------------------
    K("postgres_url", "database", lambda r: f"postgresql://app:{password(r)}@db.internal:5432/app", names=("DATABASE_URL",), fmt=False),
    K("mysql_url", "database", lambda r: f"mysql://root:{password(r)}@mysql:3306/shop", names=("DATABASE_URL",), fmt=False),
    K("mongodb_srv_url", "database", lambda r: f"mongodb+srv://admin:{password(r)}@cluster0.{c(r, LOWER_ALNUM, 5)}.mongodb.net/app?retryWrites=true",
      names=("MONGODB_URI",), fmt=False),
    K("mongodb_url", "database", lambda r: f"mongodb://app:{password(r)}@mongo:27017/app", names=("MONGO_URL",), fmt=False),
    K("redis_url", "database", lambda r: f"redis://:{password(r)}@redis:6379/0", names=("REDIS_URL",), fmt=False),
    K("rediss_url", "database", lambda r: f"rediss://default:{password(r)}@cache.internal:6380", names=("REDIS_URL",), fmt=False),
    K("amqp_url", "database", lambda r: f"amqp://app:{password(r)}@rabbitmq:5672/prod", names=("AMQP_URL", "BROKER_URL"), fmt=False),
    K("jdbc_sqlserver", "database", lambda r: f"jdbc:sqlserver://db:1433;databaseName=app;user=sa;password={password(r)};encrypt=true",
      names=("JDBC_URL",), fmt=False),
    K("jdbc_postgres", "database", lambda r: f"jdbc:postgresql://db:5432/app?user=app&password={password(r)}", names=("SPRING_DATASOURCE_URL",), fmt=False),
    K("adonet_connection_string", "database", lambda r: f"Server=tcp:app.database.windows.net,1433;Database=app;User=app;Password={password(r)};",
      names=("CONNECTIONSTRINGS__DEFAULT",), fmt=False),
    K("clickhouse_url", "database", lambda r: f"clickhouse://default:{password(r)}@clickhouse:9000/default", names=("CLICKHOUSE_URL",), fmt=False),
    K("neo4j_url", "database", lambda r: f"neo4j+s://neo4j:{password(r)}@graph.internal:7687", names=("NEO4J_URI",), fmt=False),
    K("ftp_url", "database", lambda r: f"ftp://deploy:{password(r)}@ftp.internal/releases", names=("FTP_URL",), fmt=False),
    K("basic_auth_url", "database", lambda r: f"https://ci:{password(r)}@artifacts.internal/repository/", names=("ARTIFACTS_URL",), fmt=False),
    K("basic_auth_url_words", "database", lambda r: f"https://deploy:{words_password(r)}@repo.internal/simple/", names=("REPO_URL",), fmt=False),
    K("git_url_token", "database", lambda r: f"https://x-access-token:{c(r, ALNUM, 40)}@git.internal/acme/app.git", names=("GIT_REMOTE",), fmt=False),
    K("planetscale_password", "database", lambda r: "pscale_pw_" + c(r, B64URL, 43), names=("DATABASE_PASSWORD",)),
    K("planetscale_token", "database", lambda r: "pscale_tkn_" + c(r, B64URL, 43), names=("PLANETSCALE_SERVICE_TOKEN",)),
    K("generic_password", "database", password, ctx=True, names=("DB_PASSWORD", "POSTGRES_PASSWORD", "MYSQL_ROOT_PASSWORD")),
    K("generic_password_words", "database", words_password, ctx=True, names=("ADMIN_PASSWORD", "REDIS_PASSWORD")),
    K("generic_api_key", "database", lambda r: c(r, ALNUM, 32), ctx=True, names=("API_KEY", "SERVICE_API_KEY")),
    K("generic_hex_secret", "database", lambda r: c(r, HEX, 64), ctx=True, names=("SECRET_KEY", "JWT_SECRET")),
    K("django_secret_key", "database", lambda r: "django-insecure-" + c(r, LOWER_ALNUM + "@#%^*(-_=+)", 50), ctx=True, names=("DJANGO_SECRET_KEY",)),
    K("rails_secret_key_base", "database", lambda r: c(r, HEX, 128), ctx=True, names=("SECRET_KEY_BASE",)),
    K("laravel_app_key", "database", lambda r: "base64:" + b64(r.randbytes(32)), ctx=True, names=("APP_KEY",)),
    # --- secret managers -------------------------------------------------
    K("vault_service_token", "secret-manager", lambda r: "hvs." + c(r, B64URL, 91), names=("VAULT_TOKEN",)),
    K("vault_batch_token", "secret-manager", lambda r: "hvb." + c(r, B64URL, 138), names=("VAULT_TOKEN",)),
    K("vault_legacy_token", "secret-manager", lambda r: "s." + c(r, ALNUM, 24), ctx=True, names=("VAULT_TOKEN",)),
    K("doppler_personal_token", "secret-manager", lambda r: "dp.pt." + c(r, ALNUM, 43), names=("DOPPLER_TOKEN",)),
    K("doppler_service_token", "secret-manager", lambda r: "dp.st.prd." + c(r, ALNUM, 40), names=("DOPPLER_TOKEN",)),
    K("doppler_cli_token", "secret-manager", lambda r: "dp.ct." + c(r, ALNUM, 40), names=("DOPPLER_TOKEN",)),
    K("doppler_service_account_token", "secret-manager", lambda r: "dp.sa." + c(r, ALNUM, 40), names=("DOPPLER_TOKEN",)),
    K("onepassword_service_account", "secret-manager", lambda r: "ops_" + b64(json.dumps({"signInAddress": "acme.1password.com",
      "userAuth": {"method": "SRPg-4096", "alg": "PBES2g-HS256", "iterations": 650000, "salt": c(r, B64URL, 22)},
      "email": c(r, LOWER_ALNUM, 10) + "@acme.1password.com", "srpX": c(r, HEX, 64), "muk": {"alg": "A256GCM", "ext": True,
      "k": c(r, B64URL, 43), "key_ops": ["decrypt", "encrypt"], "kty": "oct", "kid": "mp"}, "secretKey": "A3-" + c(r, UPPER_ALNUM, 30),
      "throttleSecret": {"seed": c(r, HEX, 64), "deviceUuid": c(r, LOWER_ALNUM, 26)}, "deviceUuid": c(r, LOWER_ALNUM, 26)}).encode(), pad=False),
      names=("OP_SERVICE_ACCOUNT_TOKEN",)),
    K("age_secret_key", "secret-manager", lambda r: "AGE-SECRET-KEY-1" + c(r, BECH32, 58).upper(), names=("SOPS_AGE_KEY",)),
    K("bitwarden_access_token", "secret-manager", lambda r: f"0.{uuid(r)}.{c(r, ALNUM, 30)}:{c(r, B64, 22)}==", names=("BWS_ACCESS_TOKEN",)),
    K("consul_acl_token", "secret-manager", uuid, ctx=True, names=("CONSUL_HTTP_TOKEN",)),
    K("wireguard_private_key", "secret-manager", lambda r: b64(r.randbytes(32)), ctx=True, names=("WG_PRIVATE_KEY",)),
    # --- session cookies -------------------------------------------------
    K("django_session_cookie", "cookie", lambda r: "sessionid=" + c(r, LOWER_ALNUM, 32), ctx=True, names=("SESSION_COOKIE",), fmt=False),
    K("php_session_cookie", "cookie", lambda r: "PHPSESSID=" + c(r, LOWER_ALNUM, 26), ctx=True, names=("SESSION_COOKIE",), fmt=False),
    K("java_session_cookie", "cookie", lambda r: "JSESSIONID=" + c(r, UPPER_HEX, 32), ctx=True, names=("SESSION_COOKIE",), fmt=False),
    K("express_session_cookie", "cookie", lambda r: "connect.sid=s%3A" + c(r, B64URL, 32) + "." + pct(c(r, B64, 43)), ctx=True,
      names=("SESSION_COOKIE",), fmt=False),
    K("rails_session_cookie", "cookie", lambda r: "_app_session=" + pct(b64(r.randbytes(96))) + "--" + c(r, HEX, 40), ctx=True,
      names=("SESSION_COOKIE",), fmt=False),
    # --- private keys (multi-line armour) -------------------------------
]


def pem(label, der):
    body = b64(der)
    return [f"-----BEGIN {label}-----", *[body[i:i + 64] for i in range(0, len(body), 64)], f"-----END {label}-----"]


def crc24(data):
    crc = 0xB704CE
    for byte in data:
        crc ^= byte << 16
        for _ in range(8):
            crc <<= 1
            if crc & 0x1000000:
                crc ^= 0x1864CFB
    return crc & 0xFFFFFF


def pgp(r):
    data = b"\x95\x03\xc6\x04" + r.randbytes(940)
    body = b64(data)
    return (["-----BEGIN PGP PRIVATE KEY BLOCK-----", ""] + [body[i:i + 64] for i in range(0, len(body), 64)]
            + ["=" + b64(crc24(data).to_bytes(3, "big")), "-----END PGP PRIVATE KEY BLOCK-----"])


def putty(r):
    pub = b64(b"\x00\x00\x00\x0bssh-ed25519\x00\x00\x00\x20" + r.randbytes(32))
    priv = b64(b"\x00\x00\x00\x20" + r.randbytes(32))
    return ["PuTTY-User-Key-File-3: ssh-ed25519", "Encryption: none", "Comment: eddsa-key-20250101", "Public-Lines: 2",
            pub[:64], pub[64:], "Private-Lines: 1", priv, "Private-MAC: " + c(r, HEX, 64)]


def ssh2(r):
    body = b64(b"\x3f\x6f\xf9\xeb" + r.randbytes(700))
    return (["---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----", 'Comment: "rsa-key-20250101"']
            + [body[i:i + 70] for i in range(0, len(body), 70)] + ["---- END SSH2 ENCRYPTED PRIVATE KEY ----"])


def minisign(r):
    return ["untrusted comment: minisign encrypted secret key", "RWRTY0Iy" + b64(r.randbytes(152))]


def openssh(r):
    body = b64(b"openssh-key-v1\x00\x00\x00\x00\x04none\x00\x00\x00\x04none\x00\x00\x00\x00\x00\x00\x00\x01" + r.randbytes(360))
    return ["-----BEGIN OPENSSH PRIVATE KEY-----", *[body[i:i + 70] for i in range(0, len(body), 70)], "-----END OPENSSH PRIVATE KEY-----"]


def rsa_pkcs1_encrypted(r):
    body = b64(r.randbytes(1190))
    return (["-----BEGIN RSA PRIVATE KEY-----", "Proc-Type: 4,ENCRYPTED", "DEK-Info: AES-128-CBC," + c(r, UPPER_HEX, 32), ""]
            + [body[i:i + 64] for i in range(0, len(body), 64)] + ["-----END RSA PRIVATE KEY-----"])


PEM_KINDS = [
    ("rsa_private_key", lambda r: pem("RSA PRIVATE KEY", bytes.fromhex("308204a40201000282010100") + r.randbytes(1180)), "/root/.ssh/id_rsa"),
    ("rsa_private_key_encrypted", rsa_pkcs1_encrypted, "/etc/ssl/private/server.key"),
    ("ec_private_key", lambda r: pem("EC PRIVATE KEY", bytes.fromhex("307702010104") + b"\x20" + r.randbytes(32)
                                      + bytes.fromhex("a00a06082a8648ce3d030107a144034200") + r.randbytes(65)), "/etc/ssl/private/ec.key"),
    ("dsa_private_key", lambda r: pem("DSA PRIVATE KEY", bytes.fromhex("308201bb02010002818100") + r.randbytes(430)), "/root/.ssh/id_dsa"),
    ("pkcs8_private_key", lambda r: pem("PRIVATE KEY", bytes.fromhex("308204be020100300d06092a864886f70d0101010500048204a8")
                                         + r.randbytes(1190)), "/app/certs/tls.key"),
    ("pkcs8_encrypted_private_key", lambda r: pem("ENCRYPTED PRIVATE KEY", bytes.fromhex("308205053057") + r.randbytes(1280)),
     "/app/certs/key.pem"),
    ("openssh_private_key", openssh, "/root/.ssh/id_ed25519"),
    ("pgp_private_key", pgp, "/root/signing-key.asc"),
    ("putty_private_key", putty, "/root/deploy.ppk"),
    ("ssh2_private_key", ssh2, "/root/.ssh/id_rsa_ssh2"),
    ("minisign_secret_key", minisign, "/root/.minisign/minisign.key"),
    ("kubeconfig_client_key_data", lambda r: [b64("\n".join(pem("RSA PRIVATE KEY", bytes.fromhex("308204a40201000282010100")
                                                                + r.randbytes(1180))).encode())], "/root/.kube/client-key-data"),
]
for _kid, _gen, _path in PEM_KINDS:
    if _kid == "kubeconfig_client_key_data":
        KINDS.append(Kind(_kid, "private-key", lambda r, g=_gen: g(r)[0], names=("KUBE_CLIENT_KEY_DATA",), fmt=False))
    else:
        KINDS.append(Kind(_kid, "private-key", _gen, names=("PRIVATE_KEY", "TLS_KEY"), fmt=False, multiline=True, path=_path))

NEUTRAL_NAMES = ["VALUE", "APP_VALUE", "SETTING", "CONFIG_VALUE", "ITEM", "OPTION_A", "PARAM", "INPUT_STRING",
                 "BUILD_VALUE", "FIELD_1", "BLOB", "VAR_A", "ENTRY", "DATA_FIELD", "PAYLOAD"]
NEUTRAL_PATHS = ["/app/data/blob.txt", "/opt/app/item.dat", "/srv/input.txt"]

# ------------------------------------------------------------------------
# Name forms and quoting


def snake(name):
    return name.lower()


def camel(name):
    parts = name.lower().split("_")
    return parts[0] + "".join(p[:1].upper() + p[1:] for p in parts[1:])


def kebab(name):
    return name.lower().replace("_", "-")


SHELL_SAFE = re.compile(r"[A-Za-z0-9_./:@%+=,~^-]*\Z")


def shq(v):
    """A shell word: bare when it needs no quoting, else double-quoted."""
    return v if SHELL_SAFE.match(v) else f'"{v}"'


YAML_PLAIN = re.compile(r"[A-Za-z0-9_./:@%+=,~^()*-]*\Z")


def yq(v):
    if YAML_PLAIN.match(v) and not v[:1] in "-*@%" and ": " not in v:
        return v
    return json.dumps(v)


# ------------------------------------------------------------------------
# Shapes. Each returns (lines, index of the value's line, the value text as
# written). A value text is looked up on its line to record its bytes.

def one_line_shapes():
    """name style "dev"/"neutral": (shape, builder(name, value) -> lines, value line index, written value)."""
    def env(n, v): return [f"ENV {n}={shq(v)}"], 0, v
    def arg(n, v): return [f"ARG {n}={shq(v)}"], 0, v
    def label(n, v): return [f'LABEL com.example.{kebab(n)}="{v}"'], 0, v
    def run_export(n, v): return [f"RUN export {n}={shq(v)} && ./scripts/build.sh"], 0, v
    def run_prefix(n, v): return [f"RUN {n}={shq(v)} ./scripts/build.sh"], 0, v
    def run_env(n, v): return [f"RUN env {n}={shq(v)} ./scripts/build.sh"], 0, v
    def build_arg(n, v): return [f"RUN docker build --build-arg {n}={shq(v)} -t app ."], 0, v
    def run_e(n, v): return [f"RUN docker run --rm -e {n}={shq(v)} app:latest"], 0, v
    def heredoc_env(n, v): return ["COPY <<EOF /app/.env", "APP_ENV=production", f"{n}={v}", "EOF"], 2, v
    def heredoc_yaml(n, v): return ["RUN cat > /app/config.yaml <<'EOF'", "app:", "  env: production",
                                    f"  {snake(n)}: {yq(v)}", "EOF"], 3, v
    def heredoc_json(n, v): return ["COPY <<EOF /app/config.json", "{", '  "env": "production",',
                                    f'  "{camel(n)}": {json.dumps(v)}', "}", "EOF"], 3, v
    def echo_env(n, v): return [f'RUN echo "{n}={v}" >> /app/.env'], 0, v
    def printf_yaml(n, v): return [f"RUN printf '%s\\n' '{snake(n)}: {yq(v)}' > /app/config.yaml"], 0, v
    def echo_json(n, v): return [f"RUN echo '{{\"{camel(n)}\": {json.dumps(v)}}}' > /app/config.json"], 0, v
    def k8s_string(n, v): return ["RUN cat > /app/k8s/secret.yaml <<'EOF'", "apiVersion: v1", "kind: Secret",
                                  "metadata:", "  name: app", "type: Opaque", "stringData:", f"  {kebab(n)}: {yq(v)}", "EOF"], 7, v
    def k8s_data(n, v):
        enc = b64(v.encode())
        return ["COPY <<EOF /app/k8s/secret.yaml", "apiVersion: v1", "kind: Secret", "metadata:", "  name: app",
                "type: Opaque", "data:", f"  {kebab(n)}: {enc}", "EOF"], 7, enc
    return [("env", env), ("arg", arg), ("label", label), ("run_export", run_export), ("run_prefix", run_prefix),
            ("run_env", run_env), ("docker_build_arg", build_arg), ("docker_run_e", run_e), ("heredoc_env", heredoc_env),
            ("heredoc_yaml", heredoc_yaml), ("heredoc_json", heredoc_json), ("echo_env", echo_env),
            ("printf_yaml", printf_yaml), ("echo_json", echo_json), ("k8s_stringdata", k8s_string), ("k8s_data", k8s_data)]


def format_shapes():
    """name style "format": a config file's credential field, builder(value)."""
    def npmrc(v): return [f'RUN echo "//registry.npmjs.org/:_authToken={v}" > /root/.npmrc'], 0, v
    def pypirc(v): return ["COPY <<EOF /root/.pypirc", "[pypi]", "username = __token__", f"password = {v}", "EOF"], 3, v
    def netrc(v): return [f"RUN printf '%s\\n' 'machine git.internal login ci password {v}' > /root/.netrc"], 0, v
    def settings_xml(v): return ["COPY <<EOF /root/.m2/settings.xml", "<settings><servers><server>", "  <id>internal</id>",
                                 "  <username>ci</username>", f"  <password>{v}</password>", "</server></servers></settings>",
                                 "EOF"], 4, v
    def pip_conf(v): return ["COPY <<EOF /etc/pip.conf", "[global]", f"index-url = https://ci:{pct(v)}@pypi.internal/simple",
                             "EOF"], 2, pct(v)
    def docker_config(v):
        enc = b64(f"ci:{v}".encode())
        return ["RUN mkdir -p /root/.docker && cat > /root/.docker/config.json <<'EOF'", "{", '  "auths": {',
                f'    "registry.internal": {{"auth": "{enc}"}}', "  }", "}", "EOF"], 3, enc
    return [("npmrc", npmrc), ("pypirc", pypirc), ("netrc", netrc), ("settings_xml", settings_xml),
            ("pip_conf", pip_conf), ("docker_config_auth", docker_config)]


def multiline_shapes():
    """name style "dev"/"neutral" for key files: builder(name, path, lines) -> (lines, first, last)."""
    def heredoc_file(n, p, k): return [f"COPY <<EOF {p}", *k, "EOF"], 1, len(k)
    def run_heredoc(n, p, k): return [f"RUN mkdir -p $(dirname {p}) && cat > {p} <<'EOF'", *k, "EOF", f"RUN chmod 600 {p}"], 1, len(k)
    def esc(k): return "\\n".join(x.replace('"', '\\"') for x in k)
    def env_escaped(n, p, k): return [f'ENV {n}="{esc(k)}"'], 0, 0
    def echo_escaped(n, p, k): return [f'RUN echo -e "{esc(k)}" > {p}'], 0, 0
    def k8s_string(n, p, k): return (["RUN cat > /app/k8s/secret.yaml <<'EOF'", "apiVersion: v1", "kind: Secret", "metadata:",
                                      "  name: app", "stringData:", f"  {kebab(n)}: |"] + ["    " + x for x in k] + ["EOF"], 7, 6 + len(k))
    def k8s_data(n, p, k): return (["COPY <<EOF /app/k8s/secret.yaml", "apiVersion: v1", "kind: Secret", "metadata:", "  name: app",
                                    "data:", f"  {kebab(n)}: " + b64(("\n".join(k) + "\n").encode()), "EOF"], 6, 6)
    return [("heredoc_file", heredoc_file), ("run_heredoc", run_heredoc), ("env_escaped", env_escaped),
            ("echo_escaped", echo_escaped), ("k8s_stringdata", k8s_string), ("k8s_data", k8s_data)]


# ------------------------------------------------------------------------
# Traps: (category, name, value generator) placed in assignment shapes, and
# whole lines. None of them is a hardcoded secret.

def fp(r):
    return c(r, UPPER_HEX, 40)


def ssh_pub(r, algo="ssh-ed25519"):
    if algo == "ssh-ed25519":
        return "ssh-ed25519 " + b64(b"\x00\x00\x00\x0bssh-ed25519\x00\x00\x00\x20" + r.randbytes(32)) + " ci@example.com"
    return "ssh-rsa " + b64(b"\x00\x00\x00\x07ssh-rsa\x00\x00\x00\x03\x01\x00\x01\x00\x00\x01\x81\x00" + r.randbytes(384)) + " deploy@example.com"


KV_TRAPS = [
    ("reference", "API_TOKEN", lambda r: "$API_TOKEN"),
    ("reference", "GITHUB_TOKEN", lambda r: "${GITHUB_TOKEN}"),
    ("reference", "DB_PASSWORD", lambda r: "${DB_PASSWORD:-}"),
    ("reference", "DATABASE_URL", lambda r: "postgres://app:${DB_PASSWORD}@db:5432/app"),
    ("placeholder", "DB_PASSWORD", lambda r: "changeme"),
    ("placeholder", "API_KEY", lambda r: "<your-api-key>"),
    ("placeholder", "GITHUB_TOKEN", lambda r: "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"),
    ("placeholder", "SECRET_KEY", lambda r: "your-secret-key-here"),
    ("placeholder", "AUTH_TOKEN", lambda r: "REPLACE_ME"),
    ("placeholder", "ADMIN_PASSWORD", lambda r: "********"),
    ("checksum", "NODE_SHA256", lambda r: c(r, HEX, 64)),
    ("checksum", "ARCHIVE_SHA512", lambda r: c(r, HEX, 128)),
    ("checksum", "TARBALL_MD5", lambda r: c(r, HEX, 32)),
    ("checksum", "KUBECTL_CHECKSUM", lambda r: c(r, HEX, 64)),
    ("gpg_fingerprint", "GPG_KEY", fp),
    ("gpg_fingerprint", "GPG_KEYS", lambda r: f"{fp(r)} {fp(r)}"),
    ("gpg_fingerprint", "NODE_SIGNING_KEY_FINGERPRINT", fp),
    ("version", "NODE_VERSION", lambda r: f"20.{r.randrange(20)}.{r.randrange(10)}"),
    ("version", "KEY_VERSION", lambda r: "2"),
    ("version", "TOKEN_TTL", lambda r: "3600"),
    ("version", "MAX_TOKENS", lambda r: "4096"),
    ("version", "PASSWORD_MIN_LENGTH", lambda r: "12"),
    ("version", "SECRET_NAME", lambda r: "prod/db"),
    ("public_key", "SSH_PUBLIC_KEY", ssh_pub),
    ("public_key", "DEPLOY_KEY_PUB", lambda r: ssh_pub(r, "ssh-rsa")),
    ("public_key", "MINISIGN_PUBLIC_KEY", lambda r: b64(b"Ed" + r.randbytes(40))),
    ("publishable_key", "STRIPE_PUBLISHABLE_KEY", lambda r: "pk_live_51" + c(r, ALNUM, 97)),
    ("publishable_key", "NEXT_PUBLIC_STRIPE_KEY", lambda r: "pk_test_51" + c(r, ALNUM, 97)),
    ("file_path", "DB_PASSWORD_FILE", lambda r: "/run/secrets/db_password"),
    ("file_path", "POSTGRES_PASSWORD_FILE", lambda r: "/run/secrets/postgres-password"),
    ("file_path", "GOOGLE_APPLICATION_CREDENTIALS", lambda r: "/var/secrets/google/key.json"),
    ("file_path", "SSL_KEY_FILE", lambda r: "/etc/ssl/private/server.key"),
    ("uuid_id", "AZURE_CLIENT_ID", uuid),
    ("uuid_id", "AZURE_TENANT_ID", uuid),
    ("uuid_id", "API_KEY_ID", uuid),
    ("vendor_example", "AWS_ACCESS_KEY_ID", lambda r: "AKIAIOSFODNN7EXAMPLE"),
    ("vendor_example", "AWS_SECRET_ACCESS_KEY", lambda r: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
    ("vendor_example", "STRIPE_SECRET_KEY", lambda r: "sk_test_4eC39HqLyjWDarjtT1zdp7dc"),
    ("one_char_or_keyboard", "API_KEY", lambda r: "a" * 32),
    ("one_char_or_keyboard", "SECRET", lambda r: "0" * 24),
    ("one_char_or_keyboard", "DB_PASSWORD", lambda r: "qwertyuiop"),
    ("one_char_or_keyboard", "AUTH_TOKEN", lambda r: "1234567890abcdefghij"),
    ("one_char_or_keyboard", "ADMIN_PASSWORD", lambda r: "asdfghjkl"),
    ("base64_text", "AUTH_CONFIG", lambda r: b64(json.dumps({"registry": "registry.internal", "insecure": False,
                                                             "mirrors": ["mirror.internal"]}).encode())),
    ("base64_text", "SECRET_BANNER", lambda r: b64(b"Welcome to the build server. Please be careful with production.")),
    ("go_module_hash", "MODULE_SUM", lambda r: "h1:" + b64(r.randbytes(32))),
    ("sha256_digest", "BASE_DIGEST", lambda r: "sha256:" + c(r, HEX, 64)),
    ("sha256_digest", "IMAGE_DIGEST", lambda r: "sha256:" + c(r, HEX, 64)),
    ("template", "TOKEN", lambda r: "{{ .Values.token }}"),
    ("template", "API_KEY", lambda r: "API_KEY"),
    ("template", "SECRET_KEY", lambda r: "SECRET_KEY_BASE"),
    ("template", "PASSWORD", lambda r: "${{ secrets.PASSWORD }}"),
    ("template", "DB_PASSWORD", lambda r: "%DB_PASSWORD%"),
    ("template", "GITHUB_TOKEN", lambda r: "@GITHUB_TOKEN@"),
    ("git_commit", "GIT_COMMIT", lambda r: c(r, HEX, 40)),
    ("url_without_password", "TOKEN_URL", lambda r: "https://auth.example.com/oauth/token"),
    ("url_without_password", "DATABASE_URL", lambda r: "postgres://app@db:5432/app"),
]
TRAP_SHAPES = ["env", "arg", "run_export", "heredoc_env", "heredoc_yaml", "heredoc_json", "echo_env", "docker_run_e"]


def raw_traps(r):
    """Whole-line traps: (category, lines, first, last) with first..last the trap's lines."""
    def pub_pem():
        k = pem("PUBLIC KEY", bytes.fromhex("30820122300d06092a864886f70d01010105000382010f00") + r.randbytes(270))
        return ["COPY <<EOF /etc/app/jwt-public.pem", *k, "EOF"], 1, len(k)

    def cert_pem():
        k = pem("CERTIFICATE", bytes.fromhex("308203") + r.randbytes(900))
        return ["COPY <<EOF /usr/local/share/ca-certificates/internal.crt", *k, "EOF", "RUN update-ca-certificates"], 1, len(k)
    return [
        ("sha256_digest", [f"COPY --from=alpine:3.20@sha256:{c(r, HEX, 64)} /etc/os-release /tmp/os-release"], 0, 0),
        ("checksum", [f'RUN echo "{c(r, HEX, 64)}  node.tar.xz" | sha256sum -c -'], 0, 0),
        ("gpg_fingerprint", [f"RUN gpg --batch --keyserver hkps://keys.openpgp.org --recv-keys {fp(r)}"], 0, 0),
        ("go_module_hash", [f'RUN echo "golang.org/x/crypto v0.21.0 h1:{b64(r.randbytes(32))}" >> go.sum'], 0, 0),
        ("reference", ["RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci"], 0, 0),
        ("reference", ["RUN echo '//registry.npmjs.org/:_authToken=${NPM_TOKEN}' > /root/.npmrc"], 0, 0),
        ("reference", ['RUN curl -fsSL -H "Authorization: Bearer $GITHUB_TOKEN" https://api.github.com/user'], 0, 0),
        ("reference", ["RUN git clone https://x-access-token:${GITHUB_TOKEN}@github.com/acme/app.git"], 0, 0),
        ("no_value", ["ARG GITHUB_TOKEN"], 0, 0),
        ("public_key", [f'RUN echo "{ssh_pub(r)}" >> /root/.ssh/authorized_keys'], 0, 0),
        ("public_key", *pub_pem()),
        ("public_key", *cert_pem()),
    ]


# ------------------------------------------------------------------------
# generate

class Writer:
    def __init__(self):
        self.lines = []
        self.labels = []

    def add(self, lines, first, last, label, value=None):
        base = len(self.lines)
        self.lines.extend(lines)
        entry = dict(label, lines=[base + first + 1, base + last + 1])
        if value is not None:
            entry["value"] = value
        self.labels.append(entry)

    def text(self):
        return "\n".join(self.lines) + "\n"


def place_traps(w, r, counter, n):
    for _ in range(n):
        i = counter[0]
        counter[0] += 1
        raws = raw_traps(r)
        total = len(KV_TRAPS) + len(raws)
        j = i % total
        if j < len(KV_TRAPS):
            cat, name, gen = KV_TRAPS[j]
            shape = TRAP_SHAPES[(i // total) % len(TRAP_SHAPES)]
            lines, idx, _ = dict(one_line_shapes())[shape](name, gen(r))
            w.add(lines, idx, idx, {"trap": cat, "shape": shape})
        else:
            cat, lines, first, last = raws[j - len(KV_TRAPS)]
            w.add(lines, first, last, {"trap": cat, "shape": "raw"})


def generate(out, seed):
    r = random.Random(seed)
    os.makedirs(out, exist_ok=True)
    for f in os.listdir(out):
        if f.endswith(".Dockerfile"):
            os.remove(os.path.join(out, f))
    labels = []
    trap_counter = [0]
    for kind in KINDS:
        styles = ["dev", "neutral"] + (["format"] if kind.fmt and not kind.multiline else [])
        for style in styles:
            w = Writer()
            w.lines += ["# syntax=docker/dockerfile:1", "FROM debian:bookworm-slim", "WORKDIR /app"]
            expect = "not_required" if (style == "neutral" and kind.ctx) else "required"
            base = {"kind": kind.id, "category": kind.cat, "style": style, "expect": expect}
            if style == "format":
                for shape, build in format_shapes():
                    value = kind.gen(r)
                    lines, idx, written = build(value)
                    w.add(lines, idx, idx, dict(base, shape=shape), written)
                    w.lines.append("RUN ./scripts/build.sh")
                    if shape in ("pypirc", "pip_conf"):
                        place_traps(w, r, trap_counter, 1)
            elif kind.multiline:
                for shape, build in multiline_shapes():
                    name = r.choice(kind.names) if style == "dev" else r.choice(NEUTRAL_NAMES)
                    path = kind.path if style == "dev" else r.choice(NEUTRAL_PATHS)
                    lines, first, last = build(name, path, kind.gen(r))
                    w.add(lines, first, last, dict(base, shape=shape, name=name))
                    if shape in ("heredoc_file", "k8s_stringdata"):
                        place_traps(w, r, trap_counter, 1)
            else:
                for i, (shape, build) in enumerate(one_line_shapes()):
                    name = r.choice(kind.names) if style == "dev" else r.choice(NEUTRAL_NAMES)
                    value = kind.gen(r)
                    for ch in " \"'$`\\\t":
                        assert ch not in value, (kind.id, value)
                    lines, idx, written = build(name, value)
                    w.add(lines, idx, idx, dict(base, shape=shape, name=name), written)
                    if i % 3 == 2:
                        place_traps(w, r, trap_counter, 1)
            w.lines.append('CMD ["./app"]')
            fname = f"{kind.id}.{style}.Dockerfile"
            text = w.text()
            with open(os.path.join(out, fname), "w") as f:
                f.write(text)
            # Record the bytes of each written value, and check that the
            # file holds it on the labelled line.
            offsets = [0]
            for line in text.split("\n"):
                offsets.append(offsets[-1] + len(line.encode()) + 1)
            file_lines = text.split("\n")
            for lab in w.labels:
                lab["file"] = fname
                written = lab.pop("value", None)
                if written is not None:
                    ln = lab["lines"][0]
                    col = file_lines[ln - 1].find(written)
                    assert col >= 0, (fname, ln, written)
                    start = offsets[ln - 1] + len(file_lines[ln - 1][:col].encode())
                    lab["bytes"] = [start, start + len(written.encode())]
                labels.append(lab)
    doc = {"generator_version": GENERATOR_VERSION, "seed": seed,
           "kinds": [{"kind": k.id, "category": k.cat, "needs_context": k.ctx, "names": list(k.names)} for k in KINDS],
           "labels": labels}
    with open(os.path.join(out, "labels.json"), "w") as f:
        json.dump(doc, f, indent=1)
    n_files = sum(1 for f in os.listdir(out) if f.endswith(".Dockerfile"))
    n_secrets = sum(1 for x in labels if "kind" in x)
    n_traps = sum(1 for x in labels if "trap" in x)
    print(f"{len(KINDS)} kinds, {n_files} files, {n_secrets} secrets, {n_traps} traps -> {out}")


# ------------------------------------------------------------------------
# score

def secret_rules():
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "families.json")) as f:
        return set(json.load(f)["secret"])


def lint(binary, files):
    diags = []
    for i in range(0, len(files), 400):
        proc = subprocess.run([binary, "lint", "--isolated", "--format", "json", "--exit-zero", *files[i:i + 400]],
                              capture_output=True, text=True)
        if proc.returncode != 0:
            sys.exit(f"shipshape failed ({proc.returncode}): {proc.stderr[:2000]}")
        diags += json.loads(proc.stdout)["diagnostics"]
    return diags


def ratio(a, b):
    return a / b if b else 1.0


def score(args):
    with open(os.path.join(args.cases, "labels.json")) as f:
        doc = json.load(f)
    files = sorted(os.path.join(args.cases, f) for f in os.listdir(args.cases) if f.endswith(".Dockerfile"))
    started = time.monotonic()
    rules = secret_rules()
    diags = [d for d in lint(args.bin, files) if d["rule"] in rules]
    elapsed = time.monotonic() - started

    # file -> line -> label
    at = defaultdict(dict)
    for lab in doc["labels"]:
        for ln in range(lab["lines"][0], lab["lines"][1] + 1):
            at[lab["file"]][ln] = lab
    found = set()  # id() of labels a finding starts on
    tp = 0
    false_alarms = defaultdict(int)
    seen = set()
    examples = defaultdict(list)
    for d in diags:
        fname = os.path.basename(d["path"])
        ln = d["start"]["line"]
        key = (fname, ln, d["rule"])
        if key in seen:
            continue
        seen.add(key)
        lab = at[fname].get(ln)
        if lab is None:
            why = "unlabelled line"
            false_alarms[why] += 1
            examples[why].append(f"{fname}:{ln} {d['rule']}")
        elif "trap" in lab:
            why = "trap: " + lab["trap"]
            false_alarms[why] += 1
            examples[why].append(f"{fname}:{ln} {d['rule']}")
        else:
            tp += 1
            found.add(id(lab))
    n_fa = sum(false_alarms.values())
    precision = ratio(tp, tp + n_fa)

    needs_context = {k["kind"] for k in doc["kinds"] if k["needs_context"]}

    def table(key, distinctive_only=False):
        tot, hit = defaultdict(int), defaultdict(int)
        for lab in doc["labels"]:
            if distinctive_only and lab.get("kind") in needs_context:
                continue
            if "kind" in lab and lab["expect"] == "required":
                tot[lab[key]] += 1
                hit[lab[key]] += id(lab) in found
        return {k: (hit[k], tot[k]) for k in tot}

    per_kind, per_shape = table("kind"), table("shape")
    per_style, per_cat = table("style"), table("category")
    nr = [lab for lab in doc["labels"] if "kind" in lab and lab["expect"] == "not_required"]
    req = [lab for lab in doc["labels"] if "kind" in lab and lab["expect"] == "required"]
    traps = defaultdict(int)
    for lab in doc["labels"]:
        if "trap" in lab:
            traps[lab["trap"]] += 1

    def show(title, t, sort_by_recall=False):
        print(f"\n{title}")
        items = sorted(t.items(), key=(lambda kv: (ratio(*kv[1]), kv[0])) if sort_by_recall else (lambda kv: kv[0]))
        for k, (h, n) in items:
            print(f"  {k:36} {ratio(h, n):6.3f}  {h:4}/{n}")

    hits = sum(id(lab) in found for lab in req)
    print(f"cases: {len(files)} files, {len(req)} required secrets, {len(nr)} not required "
          f"(context-needing kinds under neutral names), {sum(traps.values())} traps; lint {elapsed:.1f} s")
    print(f"recall (required): {ratio(hits, len(req)):.3f}  {hits}/{len(req)}")
    print(f"found among not required: {sum(id(lab) in found for lab in nr)}/{len(nr)}")
    print(f"precision: {precision:.3f}  ({tp} findings on secret lines, {n_fa} false alarms)")
    show("recall per name style", per_style)
    show("recall per name style, kinds distinctive alone", table("style", True))
    show("recall per category", per_cat)
    show("recall per shape", per_shape, True)
    show("recall per kind (worst first)", per_kind, True)
    print("\ntraps placed per category, false alarms on them:")
    for cat in sorted(traps):
        print(f"  {cat:36} {traps[cat]:5}  {false_alarms.get('trap: ' + cat, 0)}")
    if false_alarms:
        print("\nfalse alarms:")
        for why, n in sorted(false_alarms.items()):
            print(f"  {why:36} {n:5}   e.g. {', '.join(examples[why][:3])}")

    current = {
        "generator_version": doc["generator_version"], "seed": doc["seed"],
        "precision": round(precision, 4),
        "recall_per_kind": {k: round(ratio(*v), 4) for k, v in sorted(per_kind.items())},
        "recall_per_shape": {k: round(ratio(*v), 4) for k, v in sorted(per_shape.items())},
    }
    if args.json:
        with open(args.json, "w") as f:
            json.dump(current, f, indent=1)
    if not args.baseline:
        return 0
    if args.record:
        with open(args.baseline, "w") as f:
            json.dump(current, f, indent=1, sort_keys=False)
            f.write("\n")
        print(f"\nrecorded {args.baseline}")
        return 0
    with open(args.baseline) as f:
        base = json.load(f)
    if (base.get("seed"), base.get("generator_version")) != (doc["seed"], doc["generator_version"]):
        print(f"\nbaseline is for seed {base.get('seed')} / generator {base.get('generator_version')}, cases are seed "
              f"{doc['seed']} / generator {doc['generator_version']}: regenerate the cases or re-record", file=sys.stderr)
        return 2
    worse = []
    eps = 1e-4
    if current["precision"] + eps < base["precision"]:
        worse.append(f"precision {current['precision']:.4f} < {base['precision']:.4f}")
    for table_name in ("recall_per_kind", "recall_per_shape"):
        for k, v in base[table_name].items():
            now = current[table_name].get(k)
            if now is None:
                worse.append(f"{table_name} {k}: no longer generated (re-record the baseline)")
            elif now + eps < v:
                worse.append(f"{table_name} {k}: {now:.4f} < {v:.4f}")
    better = sum(1 for t in ("recall_per_kind", "recall_per_shape") for k, v in current[t].items()
                 if v > base[t].get(k, 1.0) + eps) + (current["precision"] > base["precision"] + eps)
    if worse:
        print(f"\nbelow the baseline {args.baseline}:", file=sys.stderr)
        for line in worse:
            print("  " + line, file=sys.stderr)
        return 1
    print(f"\nat or above the baseline {args.baseline}" + (f"; {better} values above it: raise them with --record" if better else ""))
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("generate", help="write the cases and labels.json")
    g.add_argument("--out", required=True)
    g.add_argument("--seed", type=int, default=1)
    s = sub.add_parser("score", help="lint the cases and print recall and precision")
    s.add_argument("--cases", required=True)
    s.add_argument("--bin", default="target/debug/shipshape")
    s.add_argument("--baseline", help="compare with (or, with --record, write) this baseline file")
    s.add_argument("--record", action="store_true", help="write the current values to --baseline")
    s.add_argument("--json", help="also write the current values here")
    args = ap.parse_args()
    if args.cmd == "generate":
        generate(args.out, args.seed)
        return 0
    if args.record and not args.baseline:
        ap.error("--record needs --baseline")
    return score(args)


if __name__ == "__main__":
    sys.exit(main())
