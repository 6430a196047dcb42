"""The API description the generator works from.

Every service of the package (`services.tsv`) is read the same way, from
two pinned sources, each the authority for its part:
- the SDK crate's generated source (aws-sdk-cognitoidentityprovider, ...:
  the version in Cargo.lock): which operations exist, the members of every
  structure in schema order with their Rust field names, which members are
  required, and which operations are sent unsigned;
- botocore's copy of the same API model (service-2.json, paginators-1.json):
  the documentation, the shape each member targets, enum values, which
  shapes are sensitive, the errors of each operation, and the paginators.
The two are checked against each other: a structure whose members or
required members differ between them stops the generator.
"""

import gzip
import json
import os
import re
import zipfile

SCHEMA_MEMBER = re.compile(
    r"static (\w+): ::aws_smithy_schema::Schema<'static> =\s*::aws_smithy_schema::Schema::new_member\(\s*"
    r"::aws_smithy_schema::ShapeId::from_parts\(\s*\"([^\"]+)\",[^)]*\),\s*"
    r"::aws_smithy_schema::ShapeType::(\w+),\s*\"([^\"]+)\",\s*(\d+),",
)
SCHEMA_STRUCT = re.compile(
    r"static \w+: ::aws_smithy_schema::Schema<'static> =\s*::aws_smithy_schema::Schema::new_struct\(\s*"
    r"::aws_smithy_schema::ShapeId::from_parts\(\s*\"[^#\"]+#(\w+)\",[^)]*\),\s*"
    r"::aws_smithy_schema::ShapeType::(\w+),\s*&\[([^\]]*)\]",
)
STRUCT_FIELDS = r"pub struct {name} \{{(.*?)\n\}}"
FIELD = re.compile(r"^\s*pub(?:\(crate\))? ((?:r#)?\w+): ([^\n]*),$", re.M)
# Rust types the SDK gives a member that has a default value rather than a
# requirement; other members that are not an Option are required.
DEFAULTED = {"bool", "i8", "i16", "i32", "i64", "f32", "f64"}
REQUIRED_SETTER = re.compile(r"/// This field is required\.\n\s*pub fn ((?:r#)?\w+)\(")


class GeneratorError(Exception):
    pass


def snake_case(name):
    """The SDK's module name of an operation, matched by letters alone."""
    return name.lower()


class SdkStruct:
    def __init__(self, shape, rust, kind, members, types, fields, required):
        self.shape = shape          # the SDK's shape name (XInput / XOutput for operations)
        self.rust = rust            # its Rust type name (the case may differ: GetCSVHeader -> GetCsvHeader)
        self.kind = kind            # Structure or Union
        self.members = members      # member names, schema order
        self.types = types          # the schema's ShapeType of each member (String, List, ...), same order
        self.fields = fields        # Rust field names, same order
        self.required = required    # member names


def read_sdk(sdk_dir):
    """Every structure schema of the crate, the operation modules, and the
    operations the SDK's auth resolver sends without signing."""
    structs = {}
    for root, _, files in os.walk(os.path.join(sdk_dir, "src")):
        if os.path.basename(root) == "error":
            continue  # error shapes: their members are read by the SDK, never by us
        for f in files:
            if not f.endswith(".rs"):
                continue
            text = open(os.path.join(root, f), encoding="utf-8").read()
            if "Schema::new_struct(" not in text:
                continue
            consts = {m.group(1): (m.group(4), m.group(3)) for m in SCHEMA_MEMBER.finditer(text)}
            for m in SCHEMA_STRUCT.finditer(text):
                shape, kind, refs = m.group(1), m.group(2), m.group(3)
                if kind not in ("Structure", "Union"):
                    continue
                schema_members = [consts[r.strip().lstrip("&")] for r in refs.split(",") if r.strip()]
                members = [name for name, _ in schema_members]
                types = [shape_type for _, shape_type in schema_members]
                fields, required, rust = [], [], shape
                if kind == "Structure":
                    # Rust names may differ in case from the model's (CustomSMS... -> CustomSms...).
                    body = re.search(STRUCT_FIELDS.format(name=f"(?i:{shape})"), text, re.S)
                    if body is None:
                        raise GeneratorError(f"no struct {shape} in {f}")
                    rust = re.search(r"pub struct (\w+) \{", body.group(0)).group(1)
                    typed = FIELD.findall(body.group(1))
                    fields = [f for f, _ in typed]
                    if len(fields) != len(members):
                        raise GeneratorError(f"{shape}: {len(fields)} fields but {len(members)} schema members")
                    by_field = dict(zip(fields, members))
                    # Required: what the builder documents as required, and
                    # what the structure holds without an Option around it.
                    marked = {s for s in REQUIRED_SETTER.findall(text) if s in by_field}
                    marked |= {f for f, t in typed if not t.startswith("::std::option::Option<") and t not in DEFAULTED}
                    required = sorted(by_field[f] for f in marked)
                structs[shape] = SdkStruct(shape, rust, kind, members, types, fields, required)
    operations = sorted(d for d in os.listdir(os.path.join(sdk_dir, "src", "operation"))
                        if os.path.isdir(os.path.join(sdk_dir, "src", "operation", d)))
    auth = open(os.path.join(sdk_dir, "src", "config", "auth.rs"), encoding="utf-8").read()
    overrides = re.findall(r"\(\s*\"(\w+)\",\s*vec!\[([^\]]*)\]", auth)
    unsigned = {name for name, options in overrides if "NO_AUTH_SCHEME_ID" in options and "sigv4" not in options}
    version = re.search(r'^version = "([^"]+)"', open(os.path.join(sdk_dir, "Cargo.toml")).read(), re.M).group(1)
    return structs, operations, unsigned, version


def read_namespace(sdk_dir):
    """The Smithy namespace of the crate's shapes (its schemas' shape ids;
    operation inputs and outputs are in `<namespace>.synthetic`)."""
    for root, _, files in os.walk(os.path.join(sdk_dir, "src", "types")):
        for f in files:
            text = open(os.path.join(root, f), encoding="utf-8").read()
            m = re.search(r'ShapeId::from_parts\(\s*"[^"]+",\s*"([^"]+)"', text)
            if m and not m.group(1).endswith(".synthetic"):
                return m.group(1)
    raise GeneratorError(f"no shape namespace found in {sdk_dir}")


def read_botocore(wheel, model_dir):
    """The service's model in botocore's wheel; `model_dir` is its folder
    under botocore/data (cognito-idp/2016-04-18)."""
    z = zipfile.ZipFile(wheel)
    base = f"botocore/data/{model_dir}/"
    service = json.loads(gzip.decompress(z.read(base + "service-2.json.gz")))
    paginators = json.loads(z.read(base + "paginators-1.json"))["pagination"]
    version = re.search(r"botocore-([\d.]+)-", os.path.basename(wheel)).group(1)
    return service, paginators, version


def read_paws(tsv):
    """paws's formals (in order) and paginator, by operation."""
    out = {}
    for line in open(tsv, encoding="utf-8"):
        if line.startswith("#") or line.startswith("op\t"):
            continue
        op, formals, paginator = line.rstrip("\n").split("\t")
        pag = None
        if paginator != "-":
            pag = dict(kv.split("=", 1) for kv in paginator.split(";"))
        out[op] = (formals.split(",") if formals else [], pag)
    return out


class Api:
    """What every part of the generator reads. See `load()`."""


class Service:
    """A line of services.tsv: a service the package has a client for."""

    def __init__(self, name, crate, botocore, paws, title):
        self.name = name          # paws's name: the constructor, the prefix of the functions
        self.crate = crate        # the SDK crate, pinned in Cargo.toml
        self.botocore = botocore  # its model under botocore/data
        self.paws = paws          # paws's signatures, a file beside services.tsv
        self.title = title        # what the help pages call it
        self.module = crate.replace("-", "_")


def read_services(tsv):
    out = []
    for line in open(tsv, encoding="utf-8"):
        if line.startswith("#") or line.startswith("service\t") or not line.strip():
            continue
        fields = line.rstrip("\n").split("\t")
        if len(fields) != 5:
            raise GeneratorError(f"{tsv}: a line needs 5 fields separated by tabs: {line!r}")
        out.append(Service(*fields))
    return out


def load(service_config, sdk_dir, wheel, paws_tsv):
    structs, sdk_ops, unsigned, sdk_version = read_sdk(sdk_dir)
    service, boto_paginators, boto_version = read_botocore(wheel, service_config.botocore)
    paws = read_paws(paws_tsv)
    shapes = service["shapes"]
    by_letters = {snake_case(n): n for n in service["operations"]}

    api = Api()
    api.service = service_config
    api.namespace = read_namespace(sdk_dir)
    api.sdk_version, api.botocore_version = sdk_version, boto_version
    api.shapes = shapes
    api.metadata = service["metadata"]
    api.operations = []
    problems = []

    # Which SDK structure stands for which botocore shape: operation inputs
    # and outputs are renamed (XRequest -> XInput, XResponse -> XOutput).
    sdk_name = {}
    for module in sdk_ops:
        name = by_letters.get(module.replace("_", ""))
        if name is None:
            raise GeneratorError(f"operation {module} of the SDK is not in botocore {boto_version}")
        op = service["operations"][name]
        for role, suffix in (("input", "Input"), ("output", "Output")):
            if role in op:
                sdk_name[op[role]["shape"]] = name + suffix

    def check_shape(shape_name, seen):
        """Botocore is newer than the SDK: it may have members the SDK does
        not (left out everywhere), never the other way round, and the order
        of the members they share is the same."""
        if shape_name in seen:
            return
        seen.add(shape_name)
        shape = shapes[shape_name]
        if shape["type"] == "structure" and not shape.get("document"):
            sdk = structs.get(sdk_name.get(shape_name, shape_name))
            if sdk is None:
                problems.append(f"{shape_name}: no schema in the SDK")
                return
            shared = [m for m in shape["members"] if m in sdk.members]
            if shared != sdk.members:
                problems.append(f"{shape_name}: members differ: SDK {sdk.members}, botocore {list(shape['members'])}")
            for m in sdk.members:
                check_shape(shape["members"][m]["shape"], seen)
        elif shape["type"] == "list":
            check_shape(shape["member"]["shape"], seen)
        elif shape["type"] == "map":
            check_shape(shape["key"]["shape"], seen)
            check_shape(shape["value"]["shape"], seen)

    api.structs = structs
    api.sdk_name = sdk_name
    seen = set()
    for module in sdk_ops:
        name = by_letters[module.replace("_", "")]
        op = service["operations"][name]
        input_shape = op["input"]["shape"]
        output_shape = op.get("output", {}).get("shape")
        sdk_in = structs[name + "Input"]
        check_shape(input_shape, seen)
        if output_shape:
            check_shape(output_shape, seen)
        model_order = sdk_in.members
        formals, paws_paginator = paws.get(module, (None, None))
        if (service_config.name, module) == ("cognitoidentityprovider", "set_user_pool_mfa_config"):
            # 0.1's order, from the seed page, kept for calls by position.
            formals = ["UserPoolId", "SmsMfaConfiguration", "SoftwareTokenMfaConfiguration", "MfaConfiguration"]
        if formals is None:
            args = list(model_order)
        else:
            unknown = [a for a in formals if a not in model_order]
            if unknown:
                problems.append(f"{module}: paws arguments {unknown} are not members of the SDK's input")
            args = [a for a in formals if a in model_order] + [m for m in model_order if m not in formals]
        paginator = boto_paginators.get(name)
        if paginator is None and paws_paginator:
            paginator = paws_paginator
        o = {
            "name": name,
            # The SDK's Rust names: inputs and outputs follow Rust's casing,
            # errors keep the model's (GetCsvHeaderInput, GetCSVHeaderError).
            "rust_input": sdk_in.rust,
            "rust_output": structs[name + "Output"].rust,
            "rust_error": name + "Error",
            "module": module,
            "input": input_shape,
            "output": output_shape,
            "args": args,
            "in_paws": module in paws,
            "paws_formals": formals,
            "required": [m for m in model_order if m in required_of(api, input_shape)],
            "fields": list(zip(sdk_in.members, sdk_in.fields)),
            "unsigned": name in unsigned,
            "errors": [e["shape"] for e in op.get("errors", [])],
            "documentation": op.get("documentation", ""),
            "paginator": normalise_paginator(paginator),
        }
        api.operations.append(o)

    missing_paws = sorted(set(paws) - set(sdk_ops))
    if missing_paws:
        problems.append(f"paws operations missing from the SDK: {missing_paws}")
    if problems:
        raise GeneratorError("the SDK and botocore disagree:\n  " + "\n  ".join(problems))

    api.unsigned = sorted(o["module"] for o in api.operations if o["unsigned"])
    return api


def normalise_paginator(p):
    if not p:
        return None
    def one(v):
        if v is None:
            return None
        if isinstance(v, list):
            if len(v) != 1:
                raise GeneratorError(f"paginator with several tokens: {p}")
            return v[0]
        return v
    return {
        "input_token": one(p.get("input_token")),
        "output_token": one(p.get("output_token")),
        "limit_key": one(p.get("limit_key")),
        "result_key": one(p.get("result_key")),
    }


def sensitive_members(api):
    """`Shape$Member` of every member whose value must never be shown:
    its target is a sensitive shape, or a list or map of such."""
    shapes = api.shapes

    def sensitive(shape_name, depth=0):
        s = shapes[shape_name]
        if s.get("sensitive"):
            return True
        if depth > 3:
            return False
        if s["type"] == "list":
            return sensitive(s["member"]["shape"], depth + 1)
        if s["type"] == "map":
            return sensitive(s["value"]["shape"], depth + 1)
        return False

    out = set()
    for name, s in shapes.items():
        if s["type"] != "structure":
            continue
        sdk = api.sdk_name.get(name, name)
        if sdk not in api.structs:
            continue
        for member, ref in s["members"].items():
            if ref.get("sensitive") or sensitive(ref["shape"]):
                out.add(f"{sdk}${member}")
    return sorted(out)


def required_of(api, shape_name):
    """The required members of a botocore structure shape: those the SDK
    requires (its older model wins where botocore relaxed one), and those
    botocore requires among the SDK's members (the SDK's builders do not
    mark required lists and maps)."""
    sdk = api.structs.get(api.sdk_name.get(shape_name, shape_name))
    if sdk is None or sdk.kind != "Structure":
        return []
    boto = set(api.shapes[shape_name].get("required", []))
    return [m for m in sdk.members if m in sdk.required or m in boto]


def required_members(api):
    """`Shape$Member` of every required member of every SDK structure."""
    out = set()
    for name, s in api.shapes.items():
        if s["type"] != "structure":
            continue
        sdk = api.structs.get(api.sdk_name.get(name, name))
        for member in required_of(api, name):
            out.add(f"{sdk.shape}${member}")
    return sorted(out)


# How each botocore type is represented in the shape graph (src/model/),
# and the SDK schema's ShapeType that must go with it.
SCALARS = {
    "string": ("STRING", {"String", "Enum"}),
    "boolean": ("BOOLEAN", {"Boolean"}),
    "byte": ("INTEGER", {"Byte"}),
    "short": ("INTEGER", {"Short"}),
    "integer": ("INTEGER", {"Integer", "IntEnum"}),
    "long": ("LONG", {"Long"}),
    "float": ("DOUBLE", {"Float"}),
    "double": ("DOUBLE", {"Double"}),
    "timestamp": ("TIMESTAMP", {"Timestamp"}),
    "blob": ("BLOB", {"Blob"}),
}
AGGREGATE_TYPES = {"list": {"List"}, "map": {"Map"}, "structure": {"Structure", "Union"}}


def static_name(shape_name):
    """The Rust static of a shape: AdminCreateUserRequest -> ADMIN_CREATE_USER_REQUEST."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", shape_name).upper()


def shape_graph(api):
    """Every shape the operations send or receive, reachable from their input
    and output shapes through the members the SDK knows: {name: node}, where
    a node is ("scalar", STATIC), ("document",), ("list", target),
    ("map", target) or ("structure", [(member, target)], required, sensitive).
    Stops the generator where a member's botocore type and the SDK schema's
    ShapeType disagree."""
    shapes = api.shapes
    graph = {}
    problems = []
    sensitive = {}
    for entry in sensitive_members(api):
        shape, member = entry.split("$")
        sensitive.setdefault(shape, []).append(member)

    def target_of(name):
        """The node name a member targets: scalars and documents are shared statics."""
        s = shapes[name]
        if s["type"] == "structure" and s.get("document"):
            return "DOCUMENT"
        if s["type"] in SCALARS:
            return SCALARS[s["type"]][0]
        visit(name)
        return name

    def visit(name):
        if name in graph:
            return
        s = shapes[name]
        if s["type"] == "list":
            graph[name] = None  # recursion guard
            graph[name] = ("list", target_of(s["member"]["shape"]))
        elif s["type"] == "map":
            graph[name] = None
            graph[name] = ("map", target_of(s["value"]["shape"]))
        elif s["type"] == "structure":
            sdk = api.structs[api.sdk_name.get(name, name)]
            graph[name] = None
            members = []
            for member, shape_type in zip(sdk.members, sdk.types):
                target = s["members"][member]["shape"]
                kind = shapes[target]["type"]
                expected = {"Document"} if shapes[target].get("document") else (
                    SCALARS[kind][1] if kind in SCALARS else AGGREGATE_TYPES[kind])
                if shape_type not in expected:
                    problems.append(f"{name}${member}: botocore {kind}, SDK schema {shape_type}")
                members.append((member, target_of(target)))
            order = sdk.members.index
            graph[name] = ("structure", sdk.shape, members, required_of(api, name),
                           sorted(sensitive.get(sdk.shape, []), key=order))
        else:
            raise GeneratorError(f"{name}: a {s['type']} cannot be the target of a shape here")

    for o in api.operations:
        visit(o["input"])
        if o["output"]:
            visit(o["output"])
    if problems:
        raise GeneratorError("the SDK's schemas and botocore disagree on member types:\n  " + "\n  ".join(problems))
    statics = {}
    for name in graph:
        statics.setdefault(static_name(name), []).append(name)
    clashes = {k: v for k, v in statics.items() if len(v) > 1 or k in {v[0] for v in SCALARS.values()} | {"DOCUMENT"}}
    if clashes:
        raise GeneratorError(f"shapes whose Rust statics would clash: {clashes}")
    return graph
