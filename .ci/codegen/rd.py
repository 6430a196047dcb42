"""The help pages: one per operation, and the constructor's page.

`render_pages(api)` returns {file name: Rd text}. The text of each page comes
from botocore's documentation of the operation and of its members (HTML,
turned into Rd here); the arguments and the skeletons of the request and of
the value list only the members the SDK has (botocore may be newer). The
examples of the operations people reach first are written by hand in
examples.py; every other page gets the shortest call, built from the required
arguments.
"""

import html.parser
import os
import re
import textwrap

import examples
import model as api_model

HERE = os.path.dirname(os.path.abspath(__file__))
# The constructor's page: `<service>.Rd.in` if the service has its own,
# else the generic one, whose @SERVICE@ and @TITLE@ are filled in.
GENERIC_TEMPLATE = os.path.join(HERE, "service.Rd.in")
PLACEHOLDER = "@OPERATIONS@"
WIDTH = 80          # lines of running text are wrapped at this width
MAX_DEPTH = 3       # how deep the arguments describe nested structures
TITLE_MAX = 120     # longest title, in characters

# A space that the wrapping must not break (inside \code and \samp).
NBSP = "\x00"
# A forced line break inside a paragraph (<br>).
BREAK = "\x01"


class RdError(Exception):
    pass


# ---------------------------------------------------------------------------
# Escaping

def esc_text(s):
    """Text in Rd's LaTeX-like mode (paragraphs, titles, labels)."""
    return (s.replace("\\", "\\\\").replace("%", "\\%")
            .replace("{", "\\{").replace("}", "\\}"))


# The verbatim (\samp, \preformatted, \href targets) and R-like (\code
# outside strings) modes take the same escapes.
esc_verb = esc_text


def plain(s):
    """Typographic quotes and dashes as ASCII, other characters as they are."""
    return (s.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"')
            .replace("\u201d", '"').replace("\u2013", "-").replace("\u2014", "-")
            .replace("\u00a0", " "))


# ---------------------------------------------------------------------------
# HTML of the model -> a small tree

class Node:
    def __init__(self, tag, attrs=None):
        self.tag = tag
        self.attrs = dict(attrs or {})
        self.children = []


VOID = {"br", "hr", "img"}
BLOCK = {"p", "ul", "ol", "li", "dl", "dt", "dd", "note", "important", "div", "pre"}


class _Parser(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("root")
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs)
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Node(tag, attrs))

    def handle_endtag(self, tag):
        # Close the innermost open element of that name; stray end tags are ignored.
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse_html(text):
    p = _Parser()
    p.feed(text or "")
    p.close()
    return p.root


def text_of(node):
    """The text of a node with every tag dropped."""
    if isinstance(node, str):
        return node
    if node.tag == "br":
        return " "
    sep = " " if node.tag in BLOCK else ""
    return sep + "".join(text_of(c) for c in node.children) + sep


# ---------------------------------------------------------------------------
# Inline content -> Rd

def _inline(nodes):
    """Rd for a run of inline nodes. Whitespace at the edges of an element is
    moved outside it, so that `<i> <a>x</a> </i>,` reads `\\emph{...},`."""
    out = []
    for n in nodes:
        if isinstance(n, str):
            out.append(esc_text(plain(n)))
            continue
        tag = n.tag
        if tag == "br":
            out.append(BREAK)
            continue
        if tag == "code":
            raw = re.sub(r"\s+", " ", plain(text_of(n)))
            lead, body, trail = _edges(raw)
            if body:
                # A quote would start a string in \code's R-like text and could
                # swallow the closing brace; code with quotes is set as \samp.
                macro = "\\samp" if re.search("[\"'`]", body) else "\\code"
                out.append(lead + macro + "{" + esc_verb(body).replace(" ", NBSP) + "}" + trail)
            else:
                out.append(raw)
            continue
        inner = _inline(n.children)
        lead, body, trail = _edges(inner)
        if tag == "a" and n.attrs.get("href"):
            url = esc_verb(n.attrs["href"].strip()).replace(" ", "%20")
            if body:
                out.append(lead + "\\href{" + url + "}{" + body + "}" + trail)
            else:
                out.append(lead + "\\url{" + url + "}" + trail)
        elif tag in ("i", "em") and body:
            out.append(lead + "\\emph{" + body + "}" + trail)
        elif tag in ("b", "strong") and body:
            out.append(lead + "\\strong{" + body + "}" + trail)
        else:
            out.append(inner)  # unknown tags: their text only
    return "".join(out)


def _edges(s):
    m = re.match(r"^(\s*)(.*?)(\s*)$", s, re.S)
    lead, body, trail = m.groups()
    return (" " if lead else ""), body, (" " if trail else "")


def inline(nodes):
    s = _inline(nodes)
    s = re.sub(r"[ \t\r\n]+", " ", s)
    s = re.sub(r" ?" + BREAK + " ?", BREAK, s)
    # `<i>x </i>,`: the space moved out of the markup does not precede punctuation.
    s = re.sub(r"\} ([,.;:!?)])", r"}\1", s)
    return s.strip()


# ---------------------------------------------------------------------------
# Blocks

class Para:
    def __init__(self, text, tight=False, aside=False):
        self.text = text
        self.tight = tight    # no empty line before the next block
        self.aside = aside    # part of a note: nothing is appended to it


class ListBlock:
    def __init__(self, kind, items):
        self.kind = kind      # itemize or enumerate
        self.items = items    # each a list of blocks


class Describe:
    def __init__(self, items):
        self.items = items    # (label text, list of blocks)


def blocks_of(node_or_nodes):
    """The blocks of a node's children: runs of inline content become
    paragraphs."""
    nodes = node_or_nodes.children if isinstance(node_or_nodes, Node) else node_or_nodes
    out, run = [], []

    def flush():
        if run:
            t = inline(run)
            if t:
                out.append(Para(t))
            run.clear()

    for n in nodes:
        if isinstance(n, str) or n.tag not in BLOCK:
            run.append(n)
            continue
        flush()
        if n.tag in ("p", "div", "pre", "li", "dd"):
            out.extend(blocks_of(n))
        elif n.tag in ("ul", "ol"):
            items = [blocks_of(c) for c in n.children if isinstance(c, Node) and c.tag == "li"]
            items = [i for i in items if i]
            if items:
                out.append(ListBlock("itemize" if n.tag == "ul" else "enumerate", items))
        elif n.tag == "dl":
            items, label = [], None
            for c in n.children:
                if not isinstance(c, Node):
                    continue
                if c.tag == "dt":
                    if label is not None:
                        items.append((label, []))
                    label = inline(c.children)
                elif c.tag == "dd":
                    items.append((label or "", blocks_of(c)))
                    label = None
            if label is not None:
                items.append((label, []))
            if items:
                out.append(Describe(items))
        elif n.tag in ("note", "important"):
            inner = blocks_of(n)
            word = "Note:" if n.tag == "note" else "Important:"
            if inner and isinstance(inner[0], Para):
                inner[0] = Para(word + " " + inner[0].text)
            else:
                inner.insert(0, Para(word))
            out.extend(Para(b.text, aside=True) if isinstance(b, Para) else b for b in inner)
        elif n.tag == "dt":
            t = inline(n.children)
            if t:
                out.append(Para(t))
    flush()
    return out


def doc_blocks(html_text):
    return blocks_of(parse_html(html_text))


def protect_code(text):
    """The spaces inside \\code{} and \\samp{} made unbreakable."""
    out, i = [], 0
    for m in re.finditer(r"\\(?:code|samp)\{", text):
        if m.start() < i:
            continue
        j, depth = m.end(), 1
        while j < len(text) and depth:
            if text[j] == "\\":
                j += 2
                continue
            depth += {"{": 1, "}": -1}.get(text[j], 0)
            j += 1
        out.append(text[i:m.start()])
        out.append(text[m.start():j].replace(" ", NBSP))
        i = j
    out.append(text[i:])
    return "".join(out)


def wrap(text, indent, first_indent=None, width=WIDTH):
    """Lines of a paragraph; breaks only at spaces that are not inside code,
    and at forced breaks."""
    text = protect_code(text)
    first = indent if first_indent is None else first_indent
    lines = []
    for i, piece in enumerate(text.split(BREAK)):
        filled = textwrap.wrap(piece, width=width, initial_indent=first if i == 0 else indent,
                               subsequent_indent=indent, break_long_words=False,
                               break_on_hyphens=False) or [first if i == 0 else indent]
        if lines:
            lines[-1] += " \\cr"
        lines.extend(filled)
    return [line.replace(NBSP, " ").rstrip() for line in lines]


def render_blocks(blocks, indent="", first_indent=None):
    """Rd lines of blocks; paragraphs are separated by empty lines. The
    first line starts with first_indent (after `\\item ` and the like)."""
    lines, prev = [], None
    for b in blocks:
        lead = first_indent if (first_indent is not None and not lines) else indent
        if lines and not (isinstance(prev, Para) and prev.tight):
            lines.append("")
        prev = b
        if isinstance(b, Para):
            lines.extend(wrap(b.text, indent, lead))
        elif isinstance(b, ListBlock):
            lines.append(lead + "\\" + b.kind + "{")
            for item in b.items:
                lines.extend(render_blocks(item, indent + "    ", indent + "  \\item "))
            lines.append(indent + "}")
        elif isinstance(b, Describe):
            lines.append(lead + "\\describe{")
            for label, body in b.items:
                lines.extend(describe_item(label, body, indent + "  "))
            lines.append(indent + "}")
    return lines


def describe_item(label, body, indent):
    """`\\item{label}{body}` lines."""
    head = indent + "\\item{" + label.replace(NBSP, " ") + "}{"
    if not body:
        return [head + "}"]
    lines = render_blocks(body, indent + "  ", head)
    lines[-1] += "}"
    return lines


# ---------------------------------------------------------------------------
# Sentences

ABBREVIATIONS = ("e.g.", "i.e.", "etc.", "vs.", "Inc.", "approx.")


def first_sentence(html_text):
    """The first sentence of some documentation, as plain text."""
    text = plain(re.sub(r"\s+", " ", text_of(parse_html(html_text)))).strip()
    for m in re.finditer(r"[.!?](?=\s|$)", text):
        end = m.end()
        before = text[:end]
        if any(before.endswith(" " + a) or before == a for a in ABBREVIATIONS):
            continue
        rest = text[end:].lstrip()
        if rest and not (rest[0].isupper() or rest[0].isdigit() or rest[0] in "\"'("):
            continue
        text = before
        break
    return re.sub(r"\s+([,.;:)])", r"\1", text).strip()


# Shorter titles for the operations whose first sentence is too long for one.
TITLES = {
    "admin_delete_software_token":
        "Deletes a user's registered time-based one-time password (TOTP) MFA factor, or software token",
    "admin_link_provider_for_user":
        "Links an existing user account in a user pool to an identity from an external IdP",
    "admin_set_user_mfa_preference":
        "Sets a user's multi-factor authentication (MFA) preference: which MFA options are activated and preferred",
    "admin_update_device_status":
        "Updates the status of a user's device: remembered or not remembered for device authentication",
    "admin_respond_to_auth_challenge":
        "Responds to a challenge of a server-side sign-in, such as a prompt for an MFA code",
    "associate_software_token":
        "Begins setup of time-based one-time password (TOTP) multi-factor authentication (MFA) for a user",
    "confirm_forgot_password":
        "Accepts a confirmation code that Amazon Cognito sent to a user and a new password for that user",
    "describe_terms_by_client":
        "Returns details for the terms documents that are associated with an app client",
    "get_csv_header":
        "Given a user pool ID, generates a comma-separated value (CSV) list of the user attributes in the user pool",
    "get_identity_provider_by_identifier":
        "Given the identifier of an identity provider (IdP), returns its configuration in the user pool",
    "get_user_attribute_verification_code":
        "Sends a verification code for an attribute of the currently signed-in user",
    "get_user_pool_mfa_config":
        "Returns the configuration of a user pool for multi-factor authentication (MFA) and passkeys",
    "respond_to_auth_challenge":
        "Responds to a challenge of a sign-in, such as a prompt for an MFA code",
    "set_user_mfa_preference":
        "Sets the current user's multi-factor authentication (MFA) preference: which MFA factors are activated and preferred",
    "stop_user_import_job":
        "Instructs your user pool to stop a running job that is importing users from a CSV file",
    "update_device_status":
        "Updates the status of the currently signed-in user's device: remembered or not remembered",
    "verify_software_token":
        "Registers the current user's time-based one-time password (TOTP) authenticator with a code from it",
}


# Shorter titles, by service.
TITLES_BY_SERVICE = {"cognitoidentityprovider": TITLES}


def title_of(op, service):
    """The page title: the first sentence of the documentation, without its
    period; TITLES has shorter ones for the longest, and any other sentence
    that is too long is cut at a word."""
    t = TITLES_BY_SERVICE.get(service, {}).get(op["module"]) or first_sentence(op["documentation"]).rstrip(".").strip()
    if len(t) > TITLE_MAX:
        t = t[:t.rfind(" ", 0, TITLE_MAX - 4)] + " ..."
    return t or op["name"]


# ---------------------------------------------------------------------------
# The model

class Model:
    def __init__(self, api):
        self.api = api
        self.shapes = api.shapes
        self.sensitive = set(api_model.sensitive_members(api))

    def members(self, shape_name):
        """(member name, member reference) of a structure, in the SDK's
        order, only those the SDK has. None for a document."""
        shape = self.shapes[shape_name]
        if shape.get("document"):
            return None
        sdk = self.api.structs.get(self.api.sdk_name.get(shape_name, shape_name))
        if sdk is None:
            return None
        return [(m, shape["members"][m]) for m in sdk.members]

    def required(self, shape_name):
        return set(self.shapes[shape_name].get("required", []))

    def is_sensitive(self, struct_name, member):
        sdk = self.api.sdk_name.get(struct_name, struct_name)
        return f"{sdk}${member}" in self.sensitive

    def kind(self, shape_name):
        """string, enum, integer, boolean, timestamp, blob, list, map,
        structure or document."""
        shape = self.shapes[shape_name]
        t = shape["type"]
        if t == "string" and "enum" in shape:
            return "enum"
        if t == "structure" and self.members(shape_name) is None:
            return "document"
        if t in ("long", "integer", "short", "byte"):
            return "integer"
        if t in ("double", "float"):
            return "double"
        return t


def member_doc(model, ref):
    doc = ref.get("documentation") or model.shapes[ref["shape"]].get("documentation") or ""
    return doc


# ---------------------------------------------------------------------------
# Skeletons (request syntax and value)

def enum_values(model, shape_name):
    return model.shapes[shape_name]["enum"]


def skeleton(model, shape_name, indent, stack):
    """The R skeleton of a value of a shape, as lines; the first line has no
    indentation (it follows `Name = `)."""
    k = model.kind(shape_name)
    pad = " " * indent
    if k == "string":
        return ['"string"']
    if k == "enum":
        return ["|".join(f'"{v}"' for v in enum_values(model, shape_name))]
    if k == "integer":
        return ["123"]
    if k == "double":
        return ["123.0"]
    if k == "boolean":
        return ["TRUE|FALSE"]
    if k == "timestamp":
        return ['as.POSIXct("2015-01-01")']
    if k == "blob":
        return ["raw"]
    if k == "document":
        return ["list()"]
    if shape_name in stack:
        return ["list()"]
    shape = model.shapes[shape_name]
    if k in ("list", "map"):
        inner_shape = shape["member"]["shape"] if k == "list" else shape["value"]["shape"]
        inner = skeleton(model, inner_shape, indent + 2, stack | {shape_name})
        return ["list("] + [pad + "  " + inner[0]] + inner[1:] + [pad + ")"]
    members = model.members(shape_name)
    if not members:
        return ["list()"]
    lines = ["list("]
    for i, (name, ref) in enumerate(members):
        inner = skeleton(model, ref["shape"], indent + 2, stack | {shape_name})
        comma = "," if i < len(members) - 1 else ""
        lines.append(pad + "  " + name + " = " + inner[0])
        lines.extend(inner[1:])
        lines[-1] += comma
    lines.append(pad + ")")
    return lines


def fold_alternatives(lines, width=WIDTH):
    """Long `"A"|"B"|...` lines broken after a `|`, continued 4 spaces in."""
    out = []
    for line in lines:
        indent = " " * (len(line) - len(line.lstrip()) + 4)
        while len(line) > width and "|" in line:
            cut = line.rfind("|", 0, width)
            if cut <= len(indent):
                break
            out.append(line[:cut + 1])
            line = indent + line[cut + 1:]
        out.append(line)
    return out


def preformatted(lines):
    return "\\preformatted{" + "\n".join(esc_verb(line) for line in fold_alternatives(lines)) + "\n}"


def request_skeleton(model, op):
    call = f"svc${op['module']}("
    members = dict(model.members(op["input"]))
    if not op["args"]:
        return [call + ")"]
    lines = [call]
    for i, arg in enumerate(op["args"]):
        inner = skeleton(model, members[arg]["shape"], 2, {op["input"]})
        lines.append("  " + arg + " = " + inner[0])
        lines.extend(inner[1:])
        if i < len(op["args"]) - 1:
            lines[-1] += ","
    lines.append(")")
    return lines


# ---------------------------------------------------------------------------
# Arguments

def values_text(model, shape_name):
    vals = enum_values(model, shape_name)
    return "Valid values: " + ", ".join(f'\\code{{"{esc_verb(v)}"}}' for v in vals) + "."


def shape_blocks(model, shape_name, depth, stack, owner):
    """What an argument or member holds, after its documentation: the valid
    values of an enumeration, the members of a structure (recursing), the
    element of a list or map."""
    k = model.kind(shape_name)
    if k == "enum":
        return [Para(values_text(model, shape_name))]
    if k == "blob":
        return [Para("A raw vector: the bytes themselves, which are Base64-encoded when the "
                     "request is sent.")]
    if k == "document":
        return [Para("A JSON document, as a nested list.")]
    if k in ("list", "map"):
        shape = model.shapes[shape_name]
        inner = shape["member"]["shape"] if k == "list" else shape["value"]["shape"]
        ik = model.kind(inner)
        whole = "An unnamed list" if k == "list" else "A named list"
        if ik in ("string", "enum"):
            text = ("A character vector or an unnamed list of strings." if k == "list"
                    else "A named list of strings.")
            if ik == "enum":
                text += " " + values_text(model, inner)
            return [Para(text)]
        if ik == "structure":
            if inner in stack:
                return [Para(f"{whole} of lists with the same members as \\code{{{stack[inner]}}}.")]
            intro = f"{whole} of lists, each with"
            return struct_blocks(model, inner, depth, stack, owner, intro)
        names = {"integer": "numbers", "double": "numbers", "boolean": "logical values",
                 "timestamp": "times", "blob": "raw vectors", "document": "documents",
                 "list": "lists", "map": "named lists"}
        return [Para(f"{whole} of {names.get(ik, 'values')}.")]
    if k == "structure":
        if shape_name in stack:
            return [Para(f"A list with the same members as \\code{{{stack[shape_name]}}}.")]
        return struct_blocks(model, shape_name, depth, stack, owner, "A list with")
    return []


def struct_blocks(model, shape_name, depth, stack, owner, intro):
    members = model.members(shape_name)
    if not members:
        return [Para("A list without members.")]
    if depth >= MAX_DEPTH:
        names = ", ".join(f"\\code{{{m}}}" for m, _ in members)
        return [Para(f"{intro} the members {names} (see the request syntax).")]
    stack = {**stack, shape_name: owner}
    required = model.required(shape_name)
    items = []
    for name, ref in members:
        body = member_blocks(model, shape_name, name, ref, name in required, depth + 1, stack,
                             required_in=owner)
        items.append((f"\\code{{{name}}}", body))
    return [Para(intro, tight=True), Describe(items)]


def member_blocks(model, struct_name, name, ref, is_required, depth, stack, required_in=None):
    """Blocks describing one member: [required], its documentation, whether it
    is sensitive, what it holds."""
    blocks = doc_blocks(member_doc(model, ref))
    prefix = ""
    if is_required:
        prefix = "[required] " if required_in is None else f"[required in \\code{{{required_in}}}] "
    if prefix:
        if blocks and isinstance(blocks[0], Para):
            blocks[0].text = prefix + blocks[0].text
        else:
            blocks.insert(0, Para(prefix.strip()))
    if model.is_sensitive(struct_name, name):
        note = "(sensitive: never shown in errors or logs)"
        if blocks and isinstance(blocks[0], Para):
            blocks[0].text += " " + note
        else:
            blocks.insert(0, Para(note))
    extra = shape_blocks(model, ref["shape"], depth, stack, name)
    # What the member holds reads best as the tail of the last paragraph.
    if extra and blocks and isinstance(blocks[-1], Para) and not blocks[-1].aside \
            and isinstance(extra[0], Para):
        blocks[-1] = Para(blocks[-1].text + " " + extra[0].text, extra[0].tight)
        extra = extra[1:]
    blocks.extend(extra)
    if not blocks:
        blocks = [Para("Not documented in the API model.")]
    return blocks


# ---------------------------------------------------------------------------
# Examples

PLACEHOLDERS = {
    "UserPoolId": '"us-east-1_EXAMPLE"',
    "ClientId": '"1example23456789"',
    "Username": '"jdoe"',
    "AccessToken": "access_token",
    "GroupName": '"admins"',
    "ProviderName": '"MyIdP"',
    "Domain": '"my-app-auth"',
    "Session": "session",
    "IdentityPoolId": '"us-east-1:0example-1234-5678-9abc-def012345678"',
    "IdentityId": '"us-east-1:0example-aaaa-bbbb-cccc-ddddeeeeffff"',
}


def minimal_value(model, shape_name, name, indent, stack):
    """An R expression for a value of a shape, with only required members."""
    if name in PLACEHOLDERS and model.kind(shape_name) == "string":
        return [PLACEHOLDERS[name]]
    k = model.kind(shape_name)
    pad = " " * indent
    if k == "enum":
        return [f'"{enum_values(model, shape_name)[0]}"']
    if k == "blob":
        return ['charToRaw("bytes")']
    if k in ("list", "map") or k == "structure":
        if shape_name in stack:
            return ["list()"]
        shape = model.shapes[shape_name]
        if k == "list":
            inner = minimal_value(model, shape["member"]["shape"], name, indent + 2, stack | {shape_name})
            return ["list("] + [pad + "  " + inner[0]] + inner[1:] + [pad + ")"]
        if k == "map":
            inner = minimal_value(model, shape["value"]["shape"], name, indent + 2, stack | {shape_name})
            return ["list("] + [pad + "  key = " + inner[0]] + inner[1:] + [pad + ")"]
        required = model.required(shape_name)
        members = [(m, r) for m, r in model.members(shape_name) if m in required]
        if not members:
            # Nothing is required: the first member stands for the others.
            members = model.members(shape_name)[:1]
        if not members:
            return ["list()"]
        lines = ["list("]
        for i, (m, r) in enumerate(members):
            inner = minimal_value(model, r["shape"], m, indent + 2, stack | {shape_name})
            lines.append(pad + "  " + m + " = " + inner[0])
            lines.extend(inner[1:])
            if i < len(members) - 1:
                lines[-1] += ","
        lines.append(pad + ")")
        return lines
    return [skeleton(model, shape_name, indent, stack)[0].split("|")[0]]


def minimal_example(model, op):
    """The call with the required arguments only, placeholders for values."""
    members = dict(model.members(op["input"]))
    required = [a for a in op["args"] if a in op["required"]]
    # Without required arguments, the first one stands for the others.
    chosen = required or op["args"][:1]
    values = [(arg, minimal_value(model, members[arg]["shape"], arg, 2, {op["input"]})) for arg in chosen]
    one_line = f"svc${op['module']}(" + ", ".join(f"{a} = {v[0]}" for a, v in values) + ")"
    if all(len(v) == 1 for _, v in values) and len(one_line) <= WIDTH:
        call = [one_line]
    else:
        call = [f"svc${op['module']}("]
        for i, (arg, inner) in enumerate(values):
            call.append("  " + arg + " = " + inner[0])
            call.extend(inner[1:])
            if i < len(values) - 1:
                call[-1] += ","
        call.append(")")
    lines = [f"svc <- {model.api.service.name}()", ""]
    code = "\n".join(call)
    if re.search(r"\baccess_token\b", code):
        lines.append("access_token <- \"eyJraWQiOi...\"  # from the AuthenticationResult of a sign-in")
    if re.search(r"\bsession\b", code):
        lines.append("session <- \"AYABeEXAMPLE...\"  # from the answer that asked for this step")
    if not required and op["args"]:
        lines.append("# No argument is required; all of them are under Request syntax.")
    elif len(required) < len(op["args"]):
        lines.append("# The required arguments only; the others are under Request syntax.")
    return "\n".join(lines + call)


def examples_rd(code):
    """An example, escaped for Rd's R-like text: backslashes, percent signs
    and braces outside strings need escaping; R strings in examples are
    written without braces or backslashes (checked)."""
    out = code.replace("\\", "\\\\").replace("%", "\\%")
    return out


# ---------------------------------------------------------------------------
# Pages

VALUE_NOTE = (
    "As in paws, every member is always present, in this order, nested ones too. A member "
    "that the service did not return is an empty value of its type: \\code{character(0)} "
    "for strings and enumeration values, \\code{logical(0)} for logical values, "
    "\\code{numeric(0)} for numbers (whole numbers come as doubles too), a \\code{POSIXct} "
    "time of length 0 for times, \\code{list()} for lists and maps, and for a structure a "
    "list of such empty members. A list of strings comes as a character vector.")


def operation_page(model, op, banner, bare_alias=True):
    module = op["module"]
    service = model.api.service.name
    fn = f"{service}_{module}"
    L = [banner.rstrip("\n")]
    L.append(f"\\name{{{fn}}}")
    L.append(f"\\alias{{{fn}}}")
    if bare_alias:
        L.append(f"\\alias{{{module}}}")
    L.append(f"\\title{{{esc_text(title_of(op, service))}}}")

    # Description
    desc = doc_blocks(op["documentation"])
    desc.append(Para(
        f"Called directly, this function uses the default configuration (see "
        f"\\code{{\\link{{{service}}}}}); called as \\code{{svc${module}(...)}} "
        f"it uses the configuration of the service object \\code{{svc}}."))
    if op["unsigned"]:
        desc.append(Para(
            "The request is sent without AWS credentials or a signature (the service "
            "authorizes it by the tokens, codes or app client given as arguments), so it "
            "works with only a Region configured, for example from an application that "
            "signs users in through a public app client."))
    if op["paginator"]:
        p = op["paginator"]
        if p["input_token"] == p["output_token"]:
            passing = f"passing on the \\code{{{p['output_token']}}} of each answer"
        else:
            passing = (f"passing on the \\code{{{p['output_token']}}} of each answer as "
                       f"\\code{{{p['input_token']}}}")
        size = f" (\\code{{{p['limit_key']}}} sets the size of a page)" if p["limit_key"] else ""
        desc.append(Para(
            f"The results come in pages: this operation can be paginated with "
            f"\\code{{\\link{{paginate}}}}, which repeats the call, {passing}, until the "
            f"last page; \\code{{{p['result_key']}}} holds the results of each page{size}."))
    L.append("\\description{")
    L.extend(render_blocks(desc))
    L.append("}")

    # Usage
    required = set(op["required"])
    formals = [a if a in required else f"{a} = NULL" for a in op["args"]]
    L.append("\\usage{")
    L.extend(wrap_call(fn, formals))
    L.append("}")

    # Arguments
    members = dict(model.members(op["input"]))
    if op["args"]:
        L.append("\\arguments{")
        for i, arg in enumerate(op["args"]):
            body = member_blocks(model, op["input"], arg, members[arg], arg in required, 0, {})
            if i:
                L.append("")
            L.extend(describe_item(arg, body, ""))
        L.append("}")

    # Details
    details = [
        "An argument left at \\code{NULL} is not sent. Strings must be single, "
        "non-missing character values, logical members a single \\code{TRUE} or "
        "\\code{FALSE}, numbers single finite numbers, and structures named lists "
        "with the member names shown under \\sQuote{Request syntax}; anything else "
        "is refused with a \\code{cognitoidp_param_error} before a request is made, "
        "as is a missing required member. Values of enumerations are passed on "
        "unchecked."]
    if not op["in_paws"]:
        details.append(
            "This operation is newer than the paws client this package replaces "
            "(paws.security.identity 0.10.0), which does not have it.")
    L.append("\\details{")
    L.extend(render_blocks([Para(d) for d in details]))
    L.append("}")

    # Value
    L.append("\\value{")
    out_members = model.members(op["output"]) if op["output"] else []
    if out_members:
        L.append("A list with the following syntax:")
        L.append(preformatted(skeleton(model, op["output"], 0, set())))
        L.extend(wrap(VALUE_NOTE, ""))
    else:
        L.append("An empty list.")
    L.append("}")

    # Request syntax
    L.append("\\section{Request syntax}{")
    L.append(preformatted(request_skeleton(model, op)))
    L.append("}")

    # Errors
    L.append("\\section{Errors}{")
    errors = op["errors"]
    L.extend(wrap(
        "An error answer of the service with one of these codes becomes an R error "
        "condition whose first class is the code:", ""))
    items = []
    for e in errors:
        doc = first_sentence(model.shapes.get(e, {}).get("documentation", ""))
        items.append((f"\\code{{{e}}}", [Para(esc_text(doc))] if doc else []))
    L.extend(render_blocks([Describe(items)]))
    example = "ResourceNotFoundException" if "ResourceNotFoundException" in errors else errors[0]
    L.extend(wrap(
        f"Catch one with \\code{{tryCatch(..., {example} = function(e) ...)}}, or any "
        f"service error with \\code{{paws_error}}; see the section \\sQuote{{Errors}} of "
        f"\\code{{\\link{{{service}}}}} for the fields of the condition "
        f"and for the errors raised when no answer came.", ""))
    L.append("}")

    # See also
    L.append("\\seealso{")
    see = [f"\\code{{\\link{{{service}}}}}"]
    if op["paginator"]:
        see.append("\\code{\\link{paginate}}")
    L.extend(wrap(", ".join(see), ""))
    L.append("}")

    # Examples
    code = examples.EXAMPLES.get(service, {}).get(module) or minimal_example(model, op)
    L.append("\\examples{")
    L.append("\\dontrun{")
    L.append(examples_rd(code.strip("\n")))
    L.append("}")
    L.append("}")
    L.append("\\keyword{interface}")
    return with_encoding("\n".join(L) + "\n")


def with_encoding(page):
    """Declares UTF-8 (after the banner) in a page that is not pure ASCII."""
    if page.isascii():
        return page
    first, rest = page.split("\n", 1)
    return first + "\n\\encoding{UTF-8}\n" + rest


def wrap_call(fn, formals, width=WIDTH):
    """`fn(a, b = NULL, ...)` wrapped as R prints usage, continued 2 spaces in."""
    lines, line = [], fn + "("
    for i, f in enumerate(formals):
        piece = f + ("," if i < len(formals) - 1 else ")")
        if line.endswith("(") or len(line) + 1 + len(piece) <= width:
            line += ("" if line.endswith("(") else " ") + piece
        else:
            lines.append(line)
            line = "  " + piece
    if not formals:
        line += ")"
    lines.append(line)
    return lines


def constructor_page(model, api, banner):
    service = api.service.name
    path = os.path.join(HERE, f"{service}.Rd.in")
    if not os.path.exists(path):
        path = GENERIC_TEMPLATE
    template = open(path, encoding="utf-8").read()
    fills = {"@SERVICE@": service, "@TITLE@": api.service.title, "@SERVICE_ID@": api.metadata["serviceId"],
             "@ENDPOINT_VARIABLE@": "AWS_ENDPOINT_URL_" + api.metadata["serviceId"].upper().replace(" ", "_")}
    for key, value in fills.items():
        template = template.replace(key, value)
    if template.count(PLACEHOLDER) != 1:
        raise RdError(f"{path} must hold {PLACEHOLDER} once")
    lines = ["\\describe{"]
    for op in api.operations:
        module = op["module"]
        summary = esc_text(first_sentence(op["documentation"]))
        lines.append(f"  \\item{{\\code{{\\link[={service}_{module}]{{{module}}}}}}}{{{summary}}}")
    lines.append("}")
    return with_encoding(banner + template.replace(PLACEHOLDER, "\n".join(lines)))


def render_pages(api, shared=frozenset()):
    """The help pages of one service; `shared` names the operations another
    service has too, whose pages get no alias of the bare name."""
    from generate import banner  # generate imports this module

    b = banner("%", api)
    model = Model(api)
    examples.check(api)
    service = api.service.name
    unknown = sorted(set(TITLES_BY_SERVICE.get(service, {})) - {op["module"] for op in api.operations})
    if unknown:
        raise RdError(f"TITLES for operations that do not exist: {unknown}")
    pages = {f"{service}_{op['module']}.Rd": operation_page(model, op, b, op["module"] not in shared)
             for op in api.operations}
    pages[f"{service}.Rd"] = constructor_page(model, api, b)
    return dict(sorted(pages.items()))
