#!/usr/bin/env python3
"""Property-test oracle for the `cognitoidp` R package (Rust core).

For each test case (one JSON object per input line) it answers what botocore
would put on the wire (requests) and what paws would hand back to R
(responses), and compares that with what our client did.

Usage:
    python oracle.py CASES.jsonl [--show]
    python oracle.py --self-test

Only the standard library and botocore are imported.  See the notes below for the
line protocol and for the botocore/paws behaviour this encodes.
"""

import argparse
import base64
import datetime
import json
import math
import os
import sys
import time

import botocore.session
from botocore.model import ShapeResolver
from botocore.parsers import create_parser
from botocore.serialize import create_serializer
from botocore import xform_name

SERVICE = "cognito-idp"  # the default; --service names another botocore model
UTC = datetime.timezone.utc
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=UTC)

NUMBER_TYPES = frozenset(
    ["integer", "long", "short", "byte", "float", "double", "bigdecimal", "biginteger"]
)
SCALAR_TYPES = NUMBER_TYPES | frozenset(["string", "boolean", "timestamp", "blob", "character"])


class UsageError(Exception):
    """Input the oracle cannot work with at all (exit status 2)."""


class CaseError(Exception):
    """A single case that cannot be judged (reported as ok=false + error)."""


# ---------------------------------------------------------------------------
# Tagged R values
# ---------------------------------------------------------------------------

def r_atomic(rtype, values):
    return {"type": rtype, "values": values}


def r_list(values, names=None):
    return {"type": "list", "names": names, "values": values}


R_TYPE_OF = {
    "string": "character",
    "character": "character",
    "boolean": "logical",
    "timestamp": "POSIXct",
}


def empty_list():
    return r_list([], None)


def r_format_double(x):
    """as.character() of an R double (15 significant digits), best effort."""
    if x == int(x) and abs(x) < 1e15:
        return str(int(x))
    s = "%.15g" % x
    if "e" in s:
        mant, exp = s.split("e")
        return "%se%s%02d" % (mant, exp[0], int(exp[1:]))
    return s


def as_character(v):
    if isinstance(v, str):
        return v
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return r_format_double(v)
    raise CaseError("cannot convert %r to character" % (v,))


def as_numeric(v):
    if isinstance(v, bool):
        return 1.0 if v else 0.0
    if isinstance(v, (int, float)):
        return float(v)
    if isinstance(v, str):
        try:
            return float(v.strip())
        except ValueError:
            return None  # NA
    raise CaseError("cannot convert %r to double" % (v,))


def as_logical(v):
    if isinstance(v, bool):
        return v
    if isinstance(v, (int, float)):
        return None if (isinstance(v, float) and math.isnan(v)) else v != 0
    if isinstance(v, str):
        if v in ("TRUE", "true", "T", "True"):
            return True
        if v in ("FALSE", "false", "F", "False"):
            return False
        return None
    raise CaseError("cannot convert %r to logical" % (v,))


def datetime_seconds(dt):
    """Exact seconds since the epoch of an aware datetime (microseconds kept).

    (dt - EPOCH) is an exact timedelta; total_seconds() divides its integer
    microseconds by 10**6 once, so the double is correctly rounded.
    """
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return (dt - EPOCH).total_seconds()


# ---------------------------------------------------------------------------
# The oracle
# ---------------------------------------------------------------------------

class Oracle:
    def __init__(self, model=None):
        if model is None:
            model = botocore.session.get_session().get_service_model(SERVICE)
        self.model = model
        self.protocol = model.metadata["protocol"]
        self.serializer = create_serializer(self.protocol, include_validation=False)
        self.parser = create_parser(self.protocol)
        self._ops = {}
        self._known = None          # shape name -> set of member names (kind 1)
        self._members = {}          # shape name -> [(member name, shape)]
        self.warnings = []

    # -- model helpers ------------------------------------------------------

    def operation(self, name):
        """An operation by its model name (AdminCreateUser) or its snake-case
        name (admin_create_user, as paws and the Rust tests name it)."""
        op = self._ops.get(name)
        if op is None:
            model_name = name
            if name not in self.model.operation_names:
                snake = {xform_name(n): n for n in self.model.operation_names}
                if name not in snake:
                    raise UsageError("unknown operation %r" % (name,))
                model_name = snake[name]
            op = self.model.operation_model(model_name)
            self._ops[name] = op
        return op

    def set_known_members(self, structures):
        if not isinstance(structures, dict):
            raise UsageError("members line: 'structures' must be an object")
        known = {}
        shape_names = set(self.model.shape_names)
        for sname, members in structures.items():
            if not isinstance(members, list) or not all(isinstance(m, str) for m in members):
                raise UsageError("members line: %r must map to a list of strings" % (sname,))
            if sname not in shape_names:
                self.warn("members: shape %s is unknown to botocore (ignored)" % sname)
                continue
            shape = self.model.shape_for(sname)
            if shape.type_name != "structure":
                self.warn("members: shape %s is a %s, not a structure (ignored)" % (sname, shape.type_name))
                continue
            model_members = list(shape.members)
            extra = [m for m in members if m not in shape.members]
            if extra:
                self.warn("members: %s.%s unknown to botocore %s (left out)"
                          % (sname, ",".join(extra), botocore.__version__))
            known[sname] = set(members)
            listed = [m for m in members if m in shape.members]
            in_model_order = [m for m in model_members if m in known[sname]]
            if listed != in_model_order:
                self.warn("members: %s listed in an order different from the model's; "
                          "model order is used" % sname)
        self._known = known
        self._members = {}

    def warn(self, msg):
        self.warnings.append(msg)

    def members_of(self, shape):
        """[(name, member shape)] the Rust SDK knows, in botocore model order."""
        cached = self._members.get(shape.name)
        if cached is not None:
            return cached
        allowed = self._known.get(shape.name) if self._known is not None else None
        out = [(n, s) for n, s in shape.members.items() if allowed is None or n in allowed]
        self._members[shape.name] = out
        return out

    def is_zero_member(self, shape):
        return shape.type_name == "structure" and (
            shape.is_document_type or not self.members_of(shape))

    # -- requests -----------------------------------------------------------

    def decode_params(self, value, shape):
        """Turn the tagged JSON params into the Python values botocore wants.

        Shape-directed: tags are decoded only where the model has a blob or
        timestamp, so documents are passed through untouched.
        """
        if shape is None or value is None:
            return value
        t = shape.type_name
        if t == "structure":
            if shape.is_document_type or not isinstance(value, dict):
                return value
            members = shape.members
            return {k: (self.decode_params(v, members[k]) if k in members else v)
                    for k, v in value.items()}
        if t == "list":
            if not isinstance(value, list):
                return value
            return [self.decode_params(v, shape.member) for v in value]
        if t == "map":
            if not isinstance(value, dict):
                return value
            return {k: self.decode_params(v, shape.value) for k, v in value.items()}
        if t == "blob":
            if isinstance(value, dict) and set(value) == {"__blob__"}:
                try:
                    return base64.b64decode(value["__blob__"], validate=True)
                except Exception as e:
                    raise CaseError("bad __blob__ base64: %s" % e)
            return value
        if t == "timestamp":
            if isinstance(value, dict) and set(value) == {"__timestamp__"}:
                secs = value["__timestamp__"]
                if isinstance(secs, bool) or not isinstance(secs, (int, float)):
                    raise CaseError("__timestamp__ must be a number")
                return EPOCH + datetime.timedelta(seconds=secs)
            return value
        return value

    def serialize(self, op, params):
        decoded = self.decode_params(params, op.input_shape)
        try:
            req = self.serializer.serialize_to_request(decoded, op)
        except Exception as e:
            raise CaseError("botocore serializer failed: %s: %s" % (type(e).__name__, e))
        return req["body"]

    def check_request(self, case, show=False):
        op = self.operation(case["operation"])
        params = case.get("params", {})
        if not isinstance(params, dict):
            raise CaseError("params must be an object")
        body = self.serialize(op, params)
        bot = json.loads(body.decode("utf-8")) if body else {}
        ours_text = case.get("body", "")
        try:
            ours = json.loads(ours_text) if ours_text.strip() else {}
        except ValueError as e:
            res = {"ok": False, "error": "our body is not JSON: %s" % e}
        else:
            d = json_diff(ours, bot, "")
            if d is None:
                res = {"ok": True}
            else:
                path, o, b, missing = d
                res = {"ok": False, "path": path, "ours": o, "botocore": b}
                if missing:
                    res["missing_in"] = missing
        if show:
            res["botocore_body"] = body.decode("utf-8")
        return res

    # -- responses ----------------------------------------------------------

    def parse(self, op, body_text):
        if not isinstance(body_text, str):
            raise CaseError("body must be a string")
        http = {"body": body_text.encode("utf-8"), "headers": {}, "status_code": 200}
        try:
            parsed = self.parser.parse(http, op.output_shape)
        except Exception as e:
            raise CaseError("botocore parser failed: %s: %s" % (type(e).__name__, e))
        parsed.pop("ResponseMetadata", None)
        return parsed

    def output_value(self, op, parsed):
        shape = op.output_shape
        if shape is None or not self.members_of(shape):
            return empty_list()
        return self.to_r(shape, parsed)

    def check_response(self, case, show=False):
        op = self.operation(case["operation"])
        parsed = self.parse(op, case.get("body", ""))
        expected = self.output_value(op, parsed)
        d = r_diff(case.get("value"), expected, "")
        if d is None:
            res = {"ok": True}
        else:
            path, o, e = d
            res = {"ok": False, "path": path or "<root>", "ours": o, "expected": e}
        if show:
            res["expected_value"] = expected
        return res

    # paws conversion: shape + botocore value (None = missing) -> tagged R value.
    # Returns None for R NULL (a zero-member structure/document that is
    # missing, which paws's json_parse_structure returns as the raw NULL node).
    def to_r(self, shape, x):
        t = shape.type_name
        if t == "structure":
            if shape.is_document_type:
                return None if x is None else self.doc_to_r(x)
            members = self.members_of(shape)
            if not members:
                return None if x is None else empty_list()
            if x is not None and not isinstance(x, dict):
                raise CaseError("structure %s: got %r" % (shape.name, x))
            names, values = [], []
            for name, mshape in members:
                v = self.to_r(mshape, None if x is None else x.get(name))
                if v is None:   # result[[name]] <- NULL drops the member
                    continue
                names.append(name)
                values.append(v)
            return r_list(values, names)
        if t == "list":
            if not x:
                return empty_list()
            elem = shape.member
            if elem.type_name in SCALAR_TYPES:
                return self.unlist(elem, x)
            return r_list([self.to_r(elem, e) for e in x], None)
        if t == "map":
            if not x:
                return empty_list()
            names, values = [], []
            for k, v in x.items():
                rv = self.to_r(shape.value, v)
                if rv is None:
                    continue
                names.append(as_character(k))
                values.append(rv)
            return r_list(values, names) if names else empty_list()
        return self.scalar(shape, x)

    def scalar(self, shape, x):
        t = shape.type_name
        if t in NUMBER_TYPES:
            return r_atomic("double", [] if x is None else [as_numeric(x)])
        if t == "boolean":
            return r_atomic("logical", [] if x is None else [as_logical(x)])
        if t == "timestamp":
            if x is None:
                return r_atomic("POSIXct", [])
            if not isinstance(x, datetime.datetime):
                raise CaseError("timestamp: got %r" % (x,))
            return r_atomic("POSIXct", [datetime_seconds(x)])
        if t == "blob":
            if x is None:
                return r_atomic("character", [])
            return {"type": "raw", "base64": base64.b64encode(bytes(x)).decode("ascii")}
        # string, enum, character and anything unknown: paws's as.character
        return r_atomic("character", [] if x is None else [as_character(x)])

    def unlist(self, elem, xs):
        """paws: lapply(node, json_parse) then unlist() for scalar elements."""
        t = elem.type_name
        if t == "blob":
            data = b"".join(bytes(e) for e in xs if e is not None)
            return {"type": "raw", "base64": base64.b64encode(data).decode("ascii")}
        rtype = "double" if (t in NUMBER_TYPES or t == "timestamp") else R_TYPE_OF.get(t, "character")
        values = []
        for e in xs:
            if e is None:
                continue  # a zero-length vector adds nothing to unlist()
            values.extend(self.scalar(elem, e)["values"])
        return r_atomic(rtype, values)

    def doc_to_r(self, v):
        if v is None:
            return None
        if isinstance(v, bool):
            return r_atomic("logical", [v])
        if isinstance(v, int):
            # As jsonlite reads it for paws: whole numbers that fit R's
            # integers (NA_integer_ is -2^31) are integers.
            if -2**31 < v < 2**31:
                return r_atomic("integer", [v])
            return r_atomic("double", [float(v)])
        if isinstance(v, float):
            return r_atomic("double", [v])
        if isinstance(v, str):
            return r_atomic("character", [v])
        if isinstance(v, list):
            return r_list([self.doc_to_r(e) for e in v], None)
        if isinstance(v, dict):
            return r_list([self.doc_to_r(e) for e in v.values()], list(v.keys()))
        raise CaseError("document: unexpected %r" % (v,))

    # -- driver -------------------------------------------------------------

    def run_case(self, case, show=False):
        kind = case["kind"]
        try:
            if kind == "request":
                return self.check_request(case, show)
            return self.check_response(case, show)
        except CaseError as e:
            return {"ok": False, "error": str(e)}


# ---------------------------------------------------------------------------
# Comparisons
# ---------------------------------------------------------------------------

def same_scalar(a, b):
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if a is None or b is None:
        return a is b
    num = (int, float)
    if isinstance(a, num) and isinstance(b, num):
        return a == b or (isinstance(a, float) and isinstance(b, float)
                          and math.isnan(a) and math.isnan(b))
    return type(a) is type(b) and a == b


def json_path_key(path, key):
    if key.isidentifier():
        return key if not path else path + "." + key
    return path + "[" + json.dumps(key) + "]"


def json_diff(ours, bot, path):
    """First difference between two parsed JSON values, or None.

    Returns (path, ours part, botocore part, missing_in or None).
    """
    if isinstance(ours, dict) and isinstance(bot, dict):
        for k in ours:
            if k not in bot:
                return json_path_key(path, k), ours[k], None, "botocore"
        for k in bot:
            if k not in ours:
                return json_path_key(path, k), None, bot[k], "ours"
        for k in bot:
            d = json_diff(ours[k], bot[k], json_path_key(path, k))
            if d:
                return d
        return None
    if isinstance(ours, list) and isinstance(bot, list):
        for i, (o, b) in enumerate(zip(ours, bot)):
            d = json_diff(o, b, "%s[%d]" % (path, i))
            if d:
                return d
        if len(ours) != len(bot):
            i = min(len(ours), len(bot))
            p = "%s[%d]" % (path, i)
            return (p, ours[i], None, "botocore") if len(ours) > i else (p, None, bot[i], "ours")
        return None
    if isinstance(ours, (dict, list)) or isinstance(bot, (dict, list)):
        return path or "<root>", ours, bot, None
    return None if same_scalar(ours, bot) else (path or "<root>", ours, bot, None)


def r_name_path(path, name):
    if name and (name[0].isalpha() or name[0] == ".") and all(
            c.isalnum() or c in "._" for c in name):
        return name if not path else path + "$" + name
    quoted = "`" + name.replace("`", "\\`") + "`"
    return quoted if not path else path + "$" + quoted


def r_diff(ours, exp, path):
    """First difference between two tagged R values: (path, ours, expected)."""
    if ours is None or exp is None:
        return None if ours is None and exp is None else (path, ours, exp)
    if not isinstance(ours, dict) or ours.get("type") != exp.get("type"):
        return (path, ours, exp)
    t = exp["type"]
    if t == "list":
        on, en = ours.get("names"), exp.get("names")
        ov, ev = ours.get("values"), exp.get("values")
        if not isinstance(ov, list):
            return (path, ours, exp)
        if on != en:
            return ("names(%s)" % (path or "<root>"), on, en)
        if len(ov) != len(ev):
            return ("length(%s)" % (path or "<root>"), len(ov), len(ev))
        for i, (o, e) in enumerate(zip(ov, ev)):
            sub = r_name_path(path, en[i]) if en else "%s[[%d]]" % (path, i + 1)
            d = r_diff(o, e, sub)
            if d:
                return d
        return None
    if t == "raw":
        try:
            same = base64.b64decode(ours.get("base64", "")) == base64.b64decode(exp["base64"])
        except Exception:
            same = False
        return None if same else (path or "<root>", ours, exp)
    ov, ev = ours.get("values"), exp["values"]
    if not isinstance(ov, list):
        return (path or "<root>", ours, exp)
    if len(ov) != len(ev):
        return ("length(%s)" % (path or "<root>"), ours, exp)
    for i, (o, e) in enumerate(zip(ov, ev)):
        if not same_scalar(o, e):
            return ("%s[%d]" % (path or "<root>", i + 1), o, e)
    return None


# ---------------------------------------------------------------------------
# Input handling
# ---------------------------------------------------------------------------

def read_cases(lines):
    """Parse and validate every line first, so bad input yields no output."""
    out = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except ValueError as e:
            raise UsageError("line %d: not JSON: %s" % (n, e))
        if not isinstance(obj, dict):
            raise UsageError("line %d: not a JSON object" % n)
        kind = obj.get("kind")
        if kind == "members":
            if "structures" not in obj:
                raise UsageError("line %d: members line without 'structures'" % n)
        elif kind in ("request", "response"):
            if not isinstance(obj.get("operation"), str):
                raise UsageError("line %d: missing 'operation'" % n)
            if not isinstance(obj.get("body"), str):
                raise UsageError("line %d: 'body' must be a JSON text (string)" % n)
            if kind == "response" and "value" not in obj:
                raise UsageError("line %d: response case without 'value'" % n)
        else:
            raise UsageError("line %d: unknown kind %r" % (n, kind))
        out.append((n, obj))
    return out


def run(lines, out, show=False, oracle=None, service=SERVICE):
    cases = read_cases(lines)
    oracle = oracle or Oracle(botocore.session.get_session().get_service_model(service))
    for n, obj in cases:
        if obj["kind"] != "members":
            try:
                oracle.operation(obj["operation"])
            except UsageError as e:
                raise UsageError("line %d: %s" % (n, e))
    dumps = json.dumps
    for n, obj in cases:
        if obj["kind"] == "members":
            oracle.set_known_members(obj["structures"])
            continue
        out.write(dumps(oracle.run_case(obj, show)) + "\n")
    return oracle


# ---------------------------------------------------------------------------
# Self-test
# ---------------------------------------------------------------------------

def chr_(*v):
    return r_atomic("character", list(v))


def dbl(*v):
    return r_atomic("double", list(v))


def lgl(*v):
    return r_atomic("logical", list(v))


def posix(*v):
    return r_atomic("POSIXct", list(v))


def raw(b):
    return {"type": "raw", "base64": base64.b64encode(b).decode("ascii")}


def named(**kw):
    return r_list(list(kw.values()), list(kw.keys()))


def nlist(pairs):
    return r_list([v for _, v in pairs], [k for k, _ in pairs])


def ulist(*v):
    return r_list(list(v), None)


def self_test():
    failures = []
    count = [0]

    def check(label, got, want):
        count[0] += 1
        if got != want:
            failures.append("%s:\n    got  %s\n    want %s" % (label, json.dumps(got), json.dumps(want)))

    oracle = Oracle()

    def resp(op, body, value, label, want=None):
        r = oracle.run_case({"kind": "response", "operation": op, "body": body, "value": value})
        check(label, r, want or {"ok": True})

    def req(op, params, body, label, want=None):
        r = oracle.run_case({"kind": "request", "operation": op, "params": params, "body": body})
        check(label, r, want or {"ok": True})

    # --- responses: scalars, typed empties ---------------------------------
    user_type_empty = nlist([("Username", chr_()), ("Attributes", ulist()),
                             ("UserCreateDate", posix()), ("UserLastModifiedDate", posix()),
                             ("Enabled", lgl()), ("UserStatus", chr_()), ("MFAOptions", ulist())])
    get_user_empty = [("Username", chr_()), ("UserAttributes", ulist()), ("UserCreateDate", posix()),
                      ("UserLastModifiedDate", posix()), ("Enabled", lgl()), ("UserStatus", chr_()),
                      ("MFAOptions", ulist()), ("PreferredMfaSetting", chr_()),
                      ("UserMFASettingList", ulist())]
    resp("AdminGetUser", "{}", nlist(get_user_empty), "all members missing -> typed empties")
    resp("AdminCreateUser", "{}", named(User=user_type_empty), "absent nested structure -> typed empties")
    resp("AdminCreateUser", '{"User": {}}', named(User=user_type_empty), "{} structure -> typed empties")
    full = dict(get_user_empty)
    full.update(Username=chr_("bob"), Enabled=lgl(True), UserStatus=chr_("CONFIRMED"),
                UserCreateDate=posix(1700000000.0),
                UserLastModifiedDate=posix(1700000000.123456),
                UserMFASettingList=chr_("SMS_MFA", "SOFTWARE_TOKEN_MFA"),
                UserAttributes=ulist(named(Name=chr_("email"), Value=chr_("a@b")),
                                     named(Name=chr_(), Value=chr_()),
                                     named(Name=chr_("x"), Value=chr_())))
    resp("AdminGetUser",
         json.dumps({"Username": "bob", "Enabled": True, "UserStatus": "CONFIRMED",
                     "UserCreateDate": 1700000000, "UserLastModifiedDate": 1700000000.123456,
                     "UserMFASettingList": ["SMS_MFA", "SOFTWARE_TOKEN_MFA"],
                     "UserAttributes": [{"Name": "email", "Value": "a@b"}, {}, {"Name": "x", "Value": None}],
                     "NotInModel": 1}),
         nlist([(k, full[k]) for k, _ in get_user_empty]),
         "scalars, timestamps with fraction, {} list element, string list unlisted, null member")
    # timestamp with more than microsecond precision: botocore rounds to us
    expect = dict(get_user_empty)
    expect["UserCreateDate"] = posix(1700000000.123457)
    resp("AdminGetUser", '{"UserCreateDate": 1700000000.1234567}',
         nlist([(k, expect[k]) for k, _ in get_user_empty]), "timestamp rounded to microseconds")
    # negative fractional timestamp
    expect["UserCreateDate"] = posix(-1.5)
    resp("AdminGetUser", '{"UserCreateDate": -1.5}',
         nlist([(k, expect[k]) for k, _ in get_user_empty]), "negative fractional timestamp")
    # mismatch detection + R path
    bad = dict(full)
    bad["UserAttributes"] = ulist(named(Name=chr_("email"), Value=chr_("zzz")),
                                  named(Name=chr_(), Value=chr_()),
                                  named(Name=chr_("x"), Value=chr_()))
    resp("AdminGetUser",
         json.dumps({"Username": "bob", "Enabled": True, "UserStatus": "CONFIRMED",
                     "UserCreateDate": 1700000000, "UserLastModifiedDate": 1700000000.123456,
                     "UserMFASettingList": ["SMS_MFA", "SOFTWARE_TOKEN_MFA"],
                     "UserAttributes": [{"Name": "email", "Value": "a@b"}, {}, {"Name": "x"}]}),
         nlist([(k, bad[k]) for k, _ in get_user_empty]), "mismatch path",
         {"ok": False, "path": "UserAttributes[[1]]$Value[1]", "ours": "zzz", "expected": "a@b"})
    # integer-vs-double: our client must say double, never integer
    wrong = dict(get_user_empty)
    wrong["Enabled"] = r_atomic("integer", [1])
    resp("AdminGetUser", '{"Enabled": true}', nlist([(k, wrong[k]) for k, _ in get_user_empty]),
         "type mismatch", {"ok": False, "path": "Enabled", "ours": r_atomic("integer", [1]),
                           "expected": lgl(True)})

    # --- maps ---------------------------------------------------------------
    auth_empty = [("ChallengeName", chr_()), ("Session", chr_()), ("ChallengeParameters", ulist()),
                  ("AuthenticationResult", nlist([
                      ("AccessToken", chr_()), ("ExpiresIn", dbl()), ("TokenType", chr_()),
                      ("RefreshToken", chr_()), ("IdToken", chr_()),
                      ("NewDeviceMetadata", named(DeviceKey=chr_(), DeviceGroupKey=chr_()))])),
                  ("AvailableChallenges", ulist())]
    resp("AdminInitiateAuth", '{"ChallengeParameters": {}}', nlist(auth_empty), "empty map -> list()")
    v = dict(auth_empty)
    v["ChallengeParameters"] = nlist([("zeta", chr_("1")), ("alpha", chr_("2")), ("mid", chr_("3"))])
    v["AuthenticationResult"] = nlist([
        ("AccessToken", chr_("t")), ("ExpiresIn", dbl(3600)), ("TokenType", chr_()),
        ("RefreshToken", chr_()), ("IdToken", chr_()),
        ("NewDeviceMetadata", named(DeviceKey=chr_(), DeviceGroupKey=chr_()))])
    resp("AdminInitiateAuth",
         '{"ChallengeParameters": {"zeta": "1", "alpha": "2", "mid": "3"},'
         ' "AuthenticationResult": {"AccessToken": "t", "ExpiresIn": 3600}}',
         nlist([(k, v[k]) for k, _ in auth_empty]), "map keeps answer order; integer -> double")
    v2 = dict(v)
    v2["ChallengeParameters"] = nlist([("alpha", chr_("2")), ("mid", chr_("3")), ("zeta", chr_("1"))])
    resp("AdminInitiateAuth",
         '{"ChallengeParameters": {"zeta": "1", "alpha": "2", "mid": "3"},'
         ' "AuthenticationResult": {"AccessToken": "t", "ExpiresIn": 3600}}',
         nlist([(k, v2[k]) for k, _ in auth_empty]), "sorted map is a mismatch",
         {"ok": False, "path": "names(ChallengeParameters)",
          "ours": ["alpha", "mid", "zeta"], "expected": ["zeta", "alpha", "mid"]})

    # --- empty lists, absent nested structures (DescribeUserPool) ------------
    lambda_empty = nlist([(n, chr_()) for n in (
        "PreSignUp", "CustomMessage", "PostConfirmation", "PreAuthentication", "PostAuthentication",
        "DefineAuthChallenge", "CreateAuthChallenge", "VerifyAuthChallengeResponse",
        "PreTokenGeneration", "UserMigration")]
        + [("PreTokenGenerationConfig", named(LambdaVersion=chr_(), LambdaArn=chr_())),
           ("CustomSMSSender", named(LambdaVersion=chr_(), LambdaArn=chr_())),
           ("CustomEmailSender", named(LambdaVersion=chr_(), LambdaArn=chr_())),
           ("KMSKeyID", chr_()),
           ("InboundFederation", named(LambdaVersion=chr_(), LambdaArn=chr_()))])
    parsed = oracle.parse(oracle.operation("DescribeUserPool"),
                          '{"UserPool": {"Id": "p1", "SchemaAttributes": [], "UserPoolTags": {}}}')
    got = oracle.output_value(oracle.operation("DescribeUserPool"), parsed)
    pool = dict(zip(got["values"][0]["names"], got["values"][0]["values"]))
    check("absent LambdaConfig -> named list of typed empties", pool["LambdaConfig"], lambda_empty)
    check("empty list -> list()", pool["SchemaAttributes"], ulist())
    check("empty map -> list()", pool["UserPoolTags"], ulist())
    check("Id", pool["Id"], chr_("p1"))
    check("EstimatedNumberOfUsers", pool["EstimatedNumberOfUsers"], dbl())
    check("UserPool names in model order", got["values"][0]["names"][:5],
          ["Id", "Name", "Policies", "DeletionProtection", "LambdaConfig"])
    # path of a mismatch deep inside
    parsed = oracle.parse(oracle.operation("DescribeUserPool"),
                          '{"UserPool": {"SchemaAttributes": [{"Name": "email", "Mutable": true}]}}')
    exp = oracle.output_value(oracle.operation("DescribeUserPool"), parsed)
    ours = json.loads(json.dumps(exp))
    ours["values"][0]["values"][8]["values"][0]["values"][0] = chr_("mail")
    r = oracle.run_case({"kind": "response", "operation": "DescribeUserPool",
                         "body": '{"UserPool": {"SchemaAttributes": [{"Name": "email", "Mutable": true}]}}',
                         "value": ours})
    check("nested mismatch path", r, {"ok": False, "path": "UserPool$SchemaAttributes[[1]]$Name[1]",
                                      "ours": "mail", "expected": "email"})

    # --- empty outputs ------------------------------------------------------
    resp("AdminConfirmSignUp", "{}", ulist(), "zero-member output -> unnamed list()")
    resp("AdminDeleteUser", "", ulist(), "no output shape -> unnamed list()")
    resp("AdminConfirmSignUp", "{}", r_list([], []), "named empty list is not list()",
         {"ok": False, "path": "names(<root>)", "ours": [], "expected": None})

    # --- documents, blobs ---------------------------------------------------
    brand_members = ["ManagedLoginBrandingId", "UserPoolId", "UseCognitoProvidedValues",
                     "Settings", "Assets", "CreationDate", "LastModifiedDate"]
    asset_empty = [("Category", chr_()), ("ColorMode", chr_()), ("Extension", chr_()),
                   ("Bytes", chr_()), ("ResourceId", chr_())]

    def asset(**kw):
        d = dict(asset_empty)
        d.update(kw)
        return nlist([(k, d[k]) for k, _ in asset_empty])

    doc = {"b": 1, "a": [1.5, None, {}, [], "s", True], "c": None}
    brand = nlist([("ManagedLoginBrandingId", chr_("m")), ("UserPoolId", chr_()),
                   ("UseCognitoProvidedValues", lgl(False)),
                   ("Settings", r_list([r_atomic("integer", [1]),
                                        ulist(dbl(1.5), None, r_list([], []), ulist(), chr_("s"), lgl(True)),
                                        None], ["b", "a", "c"])),
                   ("Assets", ulist(asset(Category=chr_("LOGO"), Bytes=raw(b"\x00\xff\x10")),
                                    asset(Bytes=raw(b"")), asset())),
                   ("CreationDate", posix(1.25)), ("LastModifiedDate", posix())])
    resp("DescribeManagedLoginBranding",
         json.dumps({"ManagedLoginBranding": {
             "ManagedLoginBrandingId": "m", "UseCognitoProvidedValues": False, "Settings": doc,
             "Assets": [{"Category": "LOGO", "Bytes": "AP8Q"}, {"Bytes": ""}, {}],
             "CreationDate": 1.25}}),
         named(ManagedLoginBranding=brand), "document, blobs (present, empty, missing)")
    # missing document member is dropped (paws assigns NULL to it)
    nodoc = nlist([(k, v) for k, v in zip(brand_members, [chr_(), chr_(), lgl(), None, ulist(),
                                                           posix(), posix()]) if v is not None])
    resp("DescribeManagedLoginBranding", '{"ManagedLoginBranding": {"Settings": null}}',
         named(ManagedLoginBranding=nodoc), "missing/null document member dropped")
    resp("StartWebAuthnRegistration", "{}", r_list([], []),
         "top-level document missing -> named empty list")
    resp("StartWebAuthnRegistration", '{"CredentialCreationOptions": {}}',
         named(CredentialCreationOptions=r_list([], [])), "document {} -> named empty list")

    # --- kind 1: members filter ---------------------------------------------
    filt = Oracle(model=oracle.model)
    filt.set_known_members({"LambdaConfigType": ["PreSignUp", "CustomMessage", "KMSKeyID"],
                            "DescribeUserPoolResponse": ["UserPool"],
                            "UserPoolType": ["Id", "LambdaConfig"],
                            "BogusType": ["X"]})
    r = filt.run_case({"kind": "response", "operation": "DescribeUserPool",
                       "body": '{"UserPool": {"Id": "p", "LambdaConfig": {"KMSKeyID": "k",'
                               ' "InboundFederation": {"LambdaArn": "x"}}, "UserPoolTier": "LITE"}}',
                       "value": named(UserPool=named(Id=chr_("p"), LambdaConfig=named(
                           PreSignUp=chr_(), CustomMessage=chr_(), KMSKeyID=chr_("k"))))})
    check("botocore-only members left out via kind 1", r, {"ok": True})
    check("unknown shape in members warns", any("BogusType" in w for w in filt.warnings), True)

    # --- unlisting of scalar element types (synthetic shapes) ----------------
    res = ShapeResolver({
        "Out": {"type": "structure", "members": {
            "Strs": {"shape": "StrList"}, "Nums": {"shape": "NumList"}, "Longs": {"shape": "LongList"},
            "Bools": {"shape": "BoolList"}, "Times": {"shape": "TimeList"},
            "Blobs": {"shape": "BlobList"}, "Nested": {"shape": "NestedList"},
            "Empty": {"shape": "EmptyStruct"}, "Map": {"shape": "StructMap"}}},
        "StrList": {"type": "list", "member": {"shape": "Str"}},
        "NumList": {"type": "list", "member": {"shape": "Int"}},
        "LongList": {"type": "list", "member": {"shape": "Long"}},
        "BoolList": {"type": "list", "member": {"shape": "Bool"}},
        "TimeList": {"type": "list", "member": {"shape": "Time"}},
        "BlobList": {"type": "list", "member": {"shape": "Blob"}},
        "NestedList": {"type": "list", "member": {"shape": "StrList"}},
        "StructMap": {"type": "map", "key": {"shape": "Str"}, "value": {"shape": "Small"}},
        "Small": {"type": "structure", "members": {"A": {"shape": "Str"}, "B": {"shape": "Int"}}},
        "EmptyStruct": {"type": "structure", "members": {}},
        "Str": {"type": "string"}, "Int": {"type": "integer"}, "Long": {"type": "long"},
        "Bool": {"type": "boolean"}, "Time": {"type": "timestamp"}, "Blob": {"type": "blob"},
    })
    out_shape = res.get_shape_by_name("Out")
    body = json.dumps({"Strs": ["a", "b"], "Nums": [1, 2.5], "Longs": [9007199254740993],
                       "Bools": [True, False], "Times": [0, 1.5], "Blobs": ["AAE=", "", "Ag=="],
                       "Nested": [["x"], [], ["y", "z"]],
                       "Map": {"k2": {}, "k1": {"A": "a", "B": 7}}})
    parsed = oracle.parser.parse({"body": body.encode(), "headers": {}, "status_code": 200}, out_shape)
    parsed.pop("ResponseMetadata", None)
    got = oracle.to_r(out_shape, parsed)
    want = nlist([("Strs", chr_("a", "b")), ("Nums", dbl(1.0, 2.5)), ("Longs", dbl(9007199254740992.0)),
                  ("Bools", lgl(True, False)), ("Times", dbl(0.0, 1.5)), ("Blobs", raw(b"\x00\x01\x02")),
                  ("Nested", ulist(chr_("x"), ulist(), chr_("y", "z"))),
                  ("Map", nlist([("k2", named(A=chr_(), B=dbl())), ("k1", named(A=chr_("a"), B=dbl(7.0)))]))])
    check("unlist of scalar lists; empty struct member dropped; map of {} structs", got, want)
    got = oracle.to_r(out_shape, {"Empty": {}})
    check("present zero-member nested structure -> list()",
          dict(zip(got["names"], got["values"]))["Empty"], ulist())

    # --- requests -------------------------------------------------------------
    params = {"UserPoolId": "us-east-1_X", "Username": "ü",
              "UserAttributes": [{"Name": "email", "Value": "a@b"}, {"Name": "n"}],
              "ClientMetadata": {"b": "2", "a": "1"}, "DesiredDeliveryMediums": []}
    req("AdminCreateUser", params,
        '{"UserPoolId":"us-east-1_X","Username":"\\u00fc","ClientMetadata":{"a":"1","b":"2"},'
        '"UserAttributes":[{"Name":"email","Value":"a@b"},{"Name":"n"}],"DesiredDeliveryMediums":[]}',
        "request equal regardless of key order and escaping")
    req("AdminCreateUser", params,
        '{"UserPoolId":"us-east-1_X","Username":"ü","ClientMetadata":{"a":"1","b":"2"},'
        '"UserAttributes":[{"Name":"email","Value":"a@c"},{"Name":"n"}],"DesiredDeliveryMediums":[]}',
        "request mismatch path",
        {"ok": False, "path": "UserAttributes[0].Value", "ours": "a@c", "botocore": "a@b"})
    req("AdminCreateUser", params,
        '{"UserPoolId":"us-east-1_X","Username":"ü","ClientMetadata":{"a":"1","b":"2"},'
        '"UserAttributes":[{"Name":"email","Value":"a@b"},{"Name":"n"}]}',
        "empty list must be sent",
        {"ok": False, "path": "DesiredDeliveryMediums", "ours": None, "botocore": [],
         "missing_in": "ours"})
    nested = {"UserPoolId": "p", "ClientId": "c",
              "Assets": [{"Category": "LOGO", "ColorMode": "LIGHT", "Extension": "PNG",
                          "Bytes": {"__blob__": "AP8Q"}},
                         {"Category": "FAVICON_ICO", "ColorMode": "DARK", "Extension": "ICO",
                          "Bytes": {"__blob__": ""}}],
              "Settings": {"x": [1, {"__blob__": "not-decoded"}], "y": {}}}
    req("CreateManagedLoginBranding", nested,
        json.dumps({"UserPoolId": "p", "ClientId": "c", "Settings": {"x": [1.0, {"__blob__": "not-decoded"}], "y": {}},
                    "Assets": [{"Category": "LOGO", "ColorMode": "LIGHT", "Extension": "PNG", "Bytes": "AP8Q"},
                               {"Category": "FAVICON_ICO", "ColorMode": "DARK", "Extension": "ICO",
                                "Bytes": ""}]}),
        "nested list of structures, blobs, document passed through")
    req("InitiatePointInTimeRecovery", {"UserPoolId": "p", "RestoreTimestamp": {"__timestamp__": 1700000000}},
        '{"UserPoolId":"p","RestoreTimestamp":1700000000}', "whole-second timestamp is an integer")
    req("InitiatePointInTimeRecovery", {"UserPoolId": "p", "RestoreTimestamp": {"__timestamp__": 1700000000.25}},
        '{"UserPoolId":"p","RestoreTimestamp":1700000000.25}', "fractional timestamp kept")
    req("InitiatePointInTimeRecovery", {"UserPoolId": "p", "RestoreTimestamp": {"__timestamp__": 1700000000.25}},
        '{"UserPoolId":"p","RestoreTimestamp":1700000000}', "truncated timestamp is a mismatch",
        {"ok": False, "path": "RestoreTimestamp", "ours": 1700000000, "botocore": 1700000000.25})
    req("AdminListDevices", {"UserPoolId": "p", "Username": "u", "Limit": 5},
        '{"UserPoolId":"p","Username":"u","Limit":5.0}', "5 == 5.0")
    req("AdminSetUserSettings", {"UserPoolId": "p", "Username": "u", "MFAOptions": [{}]},
        '{"UserPoolId":"p","Username":"u","MFAOptions":[{}]}', "empty structure in list")
    req("AdminUpdateDeviceStatus", {"UserPoolId": "p", "Username": "u", "DeviceKey": "d",
                                    "DeviceRememberedStatus": "remembered"},
        '{"UserPoolId":"p","Username":"u","DeviceKey":"d","DeviceRememberedStatus":1}',
        "bool/number/string are not confused",
        {"ok": False, "path": "DeviceRememberedStatus", "ours": 1, "botocore": "remembered"})
    req("AdminCreateUser", {"UserPoolId": "p", "Username": "u", "ForceAliasCreation": True},
        '{"UserPoolId":"p","Username":"u","ForceAliasCreation":1}', "true is not 1",
        {"ok": False, "path": "ForceAliasCreation", "ours": 1, "botocore": True})
    r = oracle.run_case({"kind": "request", "operation": "AdminCreateUser",
                         "params": {"Bogus": 1}, "body": "{}"})
    check("unknown param -> per-case error", (r["ok"], "KeyError" in r.get("error", "")), (False, True))

    # --- the line driver ----------------------------------------------------
    import io
    buf = io.StringIO()
    run(['{"kind":"members","structures":{"AdminGetUserResponse":["Username"]}}',
         '{"kind":"response","operation":"AdminGetUser","body":"{\\"Username\\":\\"u\\",\\"Enabled\\":true}",'
         '"value":{"type":"list","names":["Username"],"values":[{"type":"character","values":["u"]}]}}',
         '', '{"kind":"request","operation":"AdminGetUser","params":{"UserPoolId":"p","Username":"u"},'
         '"body":"{\\"UserPoolId\\":\\"p\\",\\"Username\\":\\"u\\"}"}'], buf, oracle=Oracle(model=oracle.model))
    check("driver output", buf.getvalue(), '{"ok": true}\n{"ok": true}\n')
    try:
        run(['{"kind":"request","operation":"NoSuchOp","params":{},"body":"{}"}'], io.StringIO(),
            oracle=Oracle(model=oracle.model))
        check("unknown operation is a usage error", False, True)
    except UsageError:
        check("unknown operation is a usage error", True, True)

    for f in failures:
        print("FAIL " + f)
    print("self-test: %d checks, %d failures" % (count[0], len(failures)))
    return 0 if not failures else 1


# ---------------------------------------------------------------------------

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("cases", nargs="?", help="JSON-lines file of cases ('-' = stdin)")
    ap.add_argument("--show", action="store_true",
                    help="add botocore_body (requests) / expected_value (responses) to each line")
    ap.add_argument("--self-test", action="store_true")
    ap.add_argument("--time", action="store_true", help="report timing on stderr")
    ap.add_argument("--service", default=SERVICE,
                    help="botocore's name of the service whose operations the cases are (default %(default)s)")
    args = ap.parse_args(argv)
    if args.self_test:
        return self_test()
    if not args.cases:
        ap.print_usage(sys.stderr)
        return 2
    t0 = time.perf_counter()
    try:
        if args.cases == "-":
            lines = sys.stdin.read().splitlines()
        else:
            with open(args.cases, encoding="utf-8") as fh:
                lines = fh.read().splitlines()
        out = sys.stdout
        oracle = run(lines, out, show=args.show, service=args.service)
        out.flush()
    except BrokenPipeError:
        # reader went away (e.g. `| head`): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except (UsageError, OSError, UnicodeDecodeError) as e:
        sys.stderr.write("oracle: %s\n" % e)
        return 2
    for w in dict.fromkeys(oracle.warnings):
        sys.stderr.write("oracle: warning: %s\n" % w)
    if args.time:
        sys.stderr.write("oracle: %d lines in %.3f s\n" % (len(lines), time.perf_counter() - t0))
    return 0


if __name__ == "__main__":
    sys.exit(main())
