//! Table-driven tests; expected values come from Terraform's documentation examples.

use std::path::{Path, PathBuf};

use serde_json::{Value as J, json};

use super::*;

/// JSON to Value, with `{"$unknown": reason}` turned into an Unknown.
fn v(j: &J) -> Value {
    match j {
        J::Object(m) if m.len() == 1 && m.contains_key("$unknown") => {
            Value::unknown(m["$unknown"].as_str().unwrap_or_default())
        }
        J::Array(items) => Value::list(items.iter().map(v).collect()),
        J::Object(m) => Value::map(m.iter().map(|(k, x)| (k.clone(), v(x))).collect()),
        other => Value::from_json(other),
    }
}

fn run_in(name: &str, args: &J, dir: &Path, roots: &[PathBuf]) -> Result<Value, String> {
    let args: Vec<Value> = args.as_array().expect("args array").iter().map(v).collect();
    let ctx = FunctionContext {
        module_dir: dir,
        allowed_roots: roots,
    };
    call(name, args, &ctx)
}

fn run(name: &str, args: J) -> Result<Value, String> {
    run_in(name, &args, Path::new("."), &[])
}

/// Each case: function, arguments, expected result (as JSON; Unknown as `{"$unknown": ..}`).
fn check(cases: &[(&str, J, J)]) {
    for (name, args, want) in cases {
        let got = run(name, args.clone()).unwrap_or_else(|e| panic!("{name}({args}) failed: {e}"));
        assert_eq!(got.to_json(), *want, "{name}({args})");
        unknown_is_sound(name, args, &got);
    }
}

/// Replacing any one argument by an Unknown never makes a valid call fail, and a result
/// that is still fully known must be the same as before (it did not depend on that argument).
fn unknown_is_sound(name: &str, args: &J, before: &Value) {
    let n = args.as_array().map_or(0, Vec::len);
    for i in 0..n {
        let mut changed = args.clone();
        changed[i] = unk("probe");
        let got = run(name, changed.clone())
            .unwrap_or_else(|e| panic!("{name}({changed}) failed after an Unknown: {e}"));
        if !got.contains_unknown() {
            assert_eq!(
                got.to_json(),
                before.to_json(),
                "{name}({changed}) is known but differs from the known call"
            );
        }
    }
}

/// No function panics, whatever the arguments.
#[test]
fn no_function_panics() {
    let names = [
        "alltrue",
        "anytrue",
        "chunklist",
        "coalesce",
        "coalescelist",
        "compact",
        "concat",
        "contains",
        "distinct",
        "element",
        "flatten",
        "index",
        "keys",
        "length",
        "lookup",
        "matchkeys",
        "merge",
        "one",
        "range",
        "reverse",
        "setintersection",
        "setproduct",
        "setsubtract",
        "setunion",
        "slice",
        "sort",
        "sum",
        "tobool",
        "tolist",
        "tomap",
        "tonumber",
        "toset",
        "tostring",
        "transpose",
        "values",
        "zipmap",
        "sensitive",
        "chomp",
        "endswith",
        "format",
        "formatlist",
        "indent",
        "join",
        "lower",
        "regex",
        "replace",
        "split",
        "startswith",
        "strcontains",
        "strrev",
        "substr",
        "title",
        "trim",
        "trimprefix",
        "trimspace",
        "trimsuffix",
        "upper",
        "abs",
        "ceil",
        "floor",
        "log",
        "max",
        "min",
        "parseint",
        "pow",
        "signum",
        "base64decode",
        "base64encode",
        "base64sha256",
        "jsondecode",
        "jsonencode",
        "md5",
        "sha1",
        "urlencode",
        "yamldecode",
        "yamlencode",
        "cidrhost",
        "cidrnetmask",
        "cidrsubnet",
        "cidrsubnets",
        "abspath",
        "basename",
        "dirname",
        "file",
        "fileexists",
        "fileset",
        "pathexpand",
        "templatefile",
        "base64sha512",
        "sha256",
        "sha512",
        "filebase64",
        "filemd5",
        "nonsensitive",
        "timestamp",
        "unknown_fn",
    ];
    let pool = [
        json!(null),
        json!(true),
        json!(-1),
        json!(0),
        json!(2.5),
        json!(1e300),
        json!(-9e18),
        json!(""),
        json!("a,b"),
        json!("10.0.0.0/8"),
        json!("%5.2f %d %[9]s %"),
        json!(["a", 1]),
        json!([]),
        json!({"a": ["x"], "b": null}),
        unk("u"),
        json!([unk("u"), [1]]),
    ];
    for name in names {
        for n in 0..=3usize {
            let total = pool.len().pow(n as u32);
            for mut k in 0..total {
                let mut args = Vec::with_capacity(n);
                for _ in 0..n {
                    args.push(pool[k % pool.len()].clone());
                    k /= pool.len();
                }
                let _ = run(name, J::Array(args));
            }
        }
    }
}

/// Each case: function and arguments that Terraform rejects.
fn check_err(cases: &[(&str, J)]) {
    for (name, args) in cases {
        let got = run(name, args.clone());
        assert!(got.is_err(), "{name}({args}) should fail, got {got:?}");
    }
}

/// Each case: function, arguments, and a fragment the Unknown reason must contain.
fn check_unknown(cases: &[(&str, J, &str)]) {
    for (name, args, fragment) in cases {
        let got = run(name, args.clone()).unwrap_or_else(|e| panic!("{name}({args}) failed: {e}"));
        let u = got
            .as_unknown()
            .unwrap_or_else(|| panic!("{name}({args}) should be unknown, got {:?}", got.to_json()));
        assert!(
            u.reason.contains(fragment),
            "{name}({args}): reason {:?} lacks {fragment:?}",
            u.reason
        );
    }
}

fn unk(reason: &str) -> J {
    json!({"$unknown": reason})
}

#[test]
fn collections_known() {
    check(&[
        ("length", json!([[]]), json!(0)),
        ("length", json!([["a", "b"]]), json!(2)),
        ("length", json!([{"a": "b"}]), json!(1)),
        ("length", json!(["hello"]), json!(5)),
        ("length", json!(["👾🕹️"]), json!(2)),
        ("length", json!(["e\u{301}"]), json!(1)),
        ("length", json!(["🇩🇪🇫🇷"]), json!(2)),
        ("length", json!(["👩‍👩‍👧"]), json!(1)),
        (
            "merge",
            json!([{"a": "b", "c": "d"}, {"e": "f", "c": "z"}]),
            json!({"a": "b", "c": "z", "e": "f"}),
        ),
        (
            "merge",
            json!([{"a": "b"}, {"e": "f"}]),
            json!({"a": "b", "e": "f"}),
        ),
        ("merge", json!([{"a": "b"}, null]), json!({"a": "b"})),
        ("merge", json!([]), json!({})),
        (
            "concat",
            json!([["a", ""], ["b", "c"]]),
            json!(["a", "", "b", "c"]),
        ),
        ("concat", json!([]), json!([])),
        (
            "lookup",
            json!([{"a": "ay", "b": "bee"}, "a", "what?"]),
            json!("ay"),
        ),
        (
            "lookup",
            json!([{"a": "ay", "b": "bee"}, "c", "what?"]),
            json!("what?"),
        ),
        ("lookup", json!([{"a": "ay"}, "a"]), json!("ay")),
        ("element", json!([["a", "b", "c"], 1]), json!("b")),
        ("element", json!([["a", "b", "c"], 3]), json!("a")),
        ("element", json!([["a", "b", "c"], 7]), json!("b")),
        ("element", json!([["a", "b", "c"], -1]), json!("c")),
        ("element", json!([["a", "b", "c"], -4]), json!("c")),
        ("index", json!([["a", "b", "c"], "b"]), json!(1)),
        ("contains", json!([["a", "b", "c"], "a"]), json!(true)),
        ("contains", json!([["a", "b", "c"], "d"]), json!(false)),
        ("contains", json!([["1", "2"], 1]), json!(true)),
        (
            "keys",
            json!([{"a": 1, "c": 2, "d": 3}]),
            json!(["a", "c", "d"]),
        ),
        ("keys", json!([{"z": 1, "a": 2}]), json!(["a", "z"])),
        (
            "values",
            json!([{"a": 3, "c": 2, "d": 1}]),
            json!([3, 2, 1]),
        ),
        ("values", json!([{"z": 1, "a": 2}]), json!([2, 1])),
        (
            "flatten",
            json!([[["a", "b"], [], ["c"]]]),
            json!(["a", "b", "c"]),
        ),
        (
            "flatten",
            json!([[[["a", "b"], []], ["c"]]]),
            json!(["a", "b", "c"]),
        ),
        (
            "distinct",
            json!([["a", "b", "a", "c", "d", "b"]]),
            json!(["a", "b", "c", "d"]),
        ),
        ("reverse", json!([[1, 2, 3]]), json!([3, 2, 1])),
        (
            "slice",
            json!([["a", "b", "c", "d"], 1, 3]),
            json!(["b", "c"]),
        ),
        ("slice", json!([["a"], 1, 1]), json!([])),
        (
            "sort",
            json!([["e", "d", "a", "x"]]),
            json!(["a", "d", "e", "x"]),
        ),
        ("sort", json!([[3, 1, 10]]), json!(["1", "10", "3"])),
        (
            "zipmap",
            json!([["a", "b"], [1, 2]]),
            json!({"a": 1, "b": 2}),
        ),
        (
            "zipmap",
            json!([["a", "b"], [[1], [2]]]),
            json!({"a": [1], "b": [2]}),
        ),
        (
            "setunion",
            json!([["a", "b"], ["b", "c"], ["d"]]),
            json!(["a", "b", "c", "d"]),
        ),
        (
            "setintersection",
            json!([["a", "b"], ["b", "c"], ["b", "d"]]),
            json!(["b"]),
        ),
        (
            "setsubtract",
            json!([["a", "b", "c"], ["a", "c"]]),
            json!(["b"]),
        ),
        (
            "setproduct",
            json!([["development", "staging"], ["app1", "app2"]]),
            json!([
                ["development", "app1"],
                ["development", "app2"],
                ["staging", "app1"],
                ["staging", "app2"]
            ]),
        ),
        ("setproduct", json!([["a"], []]), json!([])),
        ("alltrue", json!([["true", true]]), json!(true)),
        ("alltrue", json!([[true, false]]), json!(false)),
        ("alltrue", json!([[]]), json!(true)),
        ("anytrue", json!([["true"]]), json!(true)),
        ("anytrue", json!([[true, false]]), json!(true)),
        ("anytrue", json!([[]]), json!(false)),
        ("one", json!([[]]), json!(null)),
        ("one", json!([["hello"]]), json!("hello")),
        (
            "chunklist",
            json!([["a", "b", "c", "d", "e"], 2]),
            json!([["a", "b"], ["c", "d"], ["e"]]),
        ),
        (
            "chunklist",
            json!([["a", "b", "c", "d", "e"], 1]),
            json!([["a"], ["b"], ["c"], ["d"], ["e"]]),
        ),
        ("chunklist", json!([["a", "b"], 0]), json!([["a", "b"]])),
        (
            "transpose",
            json!([{"a": ["1", "2"], "b": ["2", "3"]}]),
            json!({"1": ["a"], "2": ["a", "b"], "3": ["b"]}),
        ),
        ("coalesce", json!(["a", "b"]), json!("a")),
        ("coalesce", json!(["", "b"]), json!("b")),
        ("coalesce", json!([null, 1, 2]), json!(1)),
        ("coalesce", json!([1, "hello"]), json!("1")),
        (
            "coalescelist",
            json!([["a", "b"], ["c", "d"]]),
            json!(["a", "b"]),
        ),
        ("coalescelist", json!([[], ["c", "d"]]), json!(["c", "d"])),
        (
            "compact",
            json!([["a", "", "b", null, "c"]]),
            json!(["a", "b", "c"]),
        ),
        (
            "matchkeys",
            json!([
                ["i-123", "i-abc", "i-def"],
                ["us-west", "us-east", "us-east"],
                ["us-east"]
            ]),
            json!(["i-abc", "i-def"]),
        ),
        ("range", json!([3]), json!([0, 1, 2])),
        ("range", json!([1, 4]), json!([1, 2, 3])),
        ("range", json!([1, 8, 2]), json!([1, 3, 5, 7])),
        ("range", json!([1, 4, 0.5]), json!([1, 1.5, 2, 2.5, 3, 3.5])),
        ("range", json!([4, 1]), json!([4, 3, 2])),
        ("range", json!([10, 5, -2]), json!([10, 8, 6])),
        ("range", json!([0]), json!([])),
        ("sum", json!([[10, 13, 6, 4.5]]), json!(33.5)),
        ("sensitive", json!(["x"]), json!("x")),
        ("nonsensitive", json!([1]), json!(1)),
    ]);
}

#[test]
fn conversions() {
    check(&[
        ("tostring", json!(["hello"]), json!("hello")),
        ("tostring", json!([1]), json!("1")),
        ("tostring", json!([1.5]), json!("1.5")),
        ("tostring", json!([true]), json!("true")),
        ("tostring", json!([null]), json!(null)),
        ("tonumber", json!([1]), json!(1)),
        ("tonumber", json!(["1"]), json!(1)),
        ("tonumber", json!(["2.5"]), json!(2.5)),
        ("tonumber", json!([null]), json!(null)),
        ("tobool", json!([true]), json!(true)),
        ("tobool", json!(["false"]), json!(false)),
        ("tobool", json!([null]), json!(null)),
        ("tolist", json!([["a", "b", "c"]]), json!(["a", "b", "c"])),
        ("tolist", json!([["a", "b", 3]]), json!(["a", "b", "3"])),
        ("toset", json!([["a", "b", "c"]]), json!(["a", "b", "c"])),
        ("toset", json!([["c", "b", "b"]]), json!(["b", "c"])),
        ("toset", json!([["a", "b", 3]]), json!(["3", "a", "b"])),
        ("toset", json!([[3, 1, 2, 1]]), json!([1, 2, 3])),
        ("tomap", json!([{"a": 1, "b": 2}]), json!({"a": 1, "b": 2})),
        (
            "tomap",
            json!([{"a": "foo", "b": true}]),
            json!({"a": "foo", "b": "true"}),
        ),
    ]);
    check_err(&[
        ("tonumber", json!(["no"])),
        ("tobool", json!(["yes"])),
        ("tobool", json!([1])),
        ("tostring", json!([["a"]])),
        ("tolist", json!([[1, true]])),
        ("tomap", json!([["a"]])),
    ]);
}

#[test]
fn collection_errors() {
    check_err(&[
        ("length", json!([])),
        ("length", json!([1])),
        ("length", json!([null])),
        ("merge", json!([{"a": 1}, "b"])),
        ("concat", json!([["a"], "b"])),
        ("lookup", json!([{"a": 1}, "b"])),
        ("lookup", json!([{"a": 1}])),
        ("lookup", json!([["a"], "a"])),
        ("element", json!([[], 0])),
        ("element", json!([["a"], 1.5])),
        ("index", json!([["a"], "z"])),
        ("slice", json!([["a", "b"], 1, 3])),
        ("slice", json!([["a", "b"], 2, 1])),
        ("zipmap", json!([["a"], [1, 2]])),
        ("one", json!([["a", "b"]])),
        ("one", json!([null])),
        ("chunklist", json!([["a"], -1])),
        ("coalesce", json!([null, ""])),
        ("coalescelist", json!([[], []])),
        ("range", json!([1, 2, 0])),
        ("range", json!([1, 4, -1])),
        ("range", json!([2000])),
        ("sum", json!([[]])),
        ("sum", json!([["a"]])),
        ("alltrue", json!([[1]])),
        ("keys", json!([["a"]])),
        ("setproduct", json!([["a"]])),
        ("setsubtract", json!([["a"]])),
    ]);
}

#[test]
fn collections_unknown_propagation() {
    let u = unk("variable \"x\" has no value");
    check(&[
        // Partial knowledge is kept where the result does not depend on the Unknown.
        ("length", json!([[u, 1]]), json!(2)),
        (
            "merge",
            json!([{"a": u}, {"b": 1}]),
            json!({"a": u, "b": 1}),
        ),
        ("concat", json!([[u], ["b"]]), json!([u, "b"])),
        ("lookup", json!([{"a": 1, "b": u}, "a"]), json!(1)),
        ("element", json!([[u, "b"], 1]), json!("b")),
        ("keys", json!([{"a": u}]), json!(["a"])),
        ("reverse", json!([[u, 1]]), json!([1, u])),
        ("contains", json!([[u, "a"], "a"]), json!(true)),
        ("alltrue", json!([[u, false]]), json!(false)),
        ("anytrue", json!([[u, true]]), json!(true)),
        ("coalesce", json!([null, "a", u]), json!("a")),
        ("one", json!([[u]]), u.clone()),
    ]);
    check_unknown(&[
        (
            "length",
            json!([u]),
            "argument 1 of length() is unknown: variable \"x\" has no value",
        ),
        (
            "merge",
            json!([{"a": 1}, u]),
            "argument 2 of merge() is unknown",
        ),
        ("concat", json!([["a"], u]), "argument 2 of concat()"),
        ("lookup", json!([{"a": 1}, u]), "argument 2 of lookup()"),
        (
            "contains",
            json!([[u, "a"], "b"]),
            "argument 1 of contains()",
        ),
        ("distinct", json!([["a", u]]), "argument 1 of distinct()"),
        ("sort", json!([["a", u]]), "argument 1 of sort()"),
        ("toset", json!([["a", u]]), "toset()"),
        ("flatten", json!([[["a"], u]]), "flatten()"),
        ("alltrue", json!([[u, true]]), "alltrue()"),
        (
            "coalesce",
            json!([null, u, "a"]),
            "argument 2 of coalesce()",
        ),
        ("sum", json!([[1, u]]), "sum()"),
        ("setunion", json!([["a"], [u]]), "argument 2 of setunion()"),
        ("range", json!([u]), "range()"),
        ("zipmap", json!([[u], [1]]), "zipmap()"),
        ("tostring", json!([u]), "tostring()"),
    ]);
}

#[test]
fn unknown_keeps_refers_to() {
    let mut u = Value::unknown("computed at apply time");
    if let ValueKind::Unknown(inner) = &mut u.kind {
        inner.refers_to = Some("aws_s3_bucket.logs".into());
    }
    let ctx = FunctionContext {
        module_dir: Path::new("."),
        allowed_roots: &[],
    };
    let got = call("upper", vec![u], &ctx).unwrap();
    assert_eq!(
        got.as_unknown().and_then(|u| u.refers_to.as_deref()),
        Some("aws_s3_bucket.logs")
    );
}

#[test]
fn jsonencode_of_partly_known_value_keeps_the_value() {
    let got = run(
        "jsonencode",
        json!([{"Action": "s3:*", "Resource": unk("late")}]),
    )
    .unwrap();
    let u = got.as_unknown().expect("unknown");
    let decoded = u.decoded.as_deref().expect("decoded kept");
    assert_eq!(decoded.get("Action").and_then(Value::as_str), Some("s3:*"));
    assert!(decoded.get("Resource").is_some_and(Value::is_unknown));
    // A wholly unknown argument has nothing to keep.
    let got = run("jsonencode", json!([unk("late")])).unwrap();
    assert!(got.as_unknown().is_some_and(|u| u.decoded.is_none()));
}

#[test]
fn lookup_keeps_element_span() {
    use crate::source::{FileId, Span};
    let span = Span::new(FileId(0), 3, 7);
    let mut m = indexmap::IndexMap::new();
    m.insert("a".to_string(), Value::string("x").with_span(span));
    let ctx = FunctionContext {
        module_dir: Path::new("."),
        allowed_roots: &[],
    };
    let got = call("lookup", vec![Value::map(m), Value::string("a")], &ctx).unwrap();
    assert_eq!(got.span, Some(span));
    let got = call("upper", vec![Value::string("x").with_span(span)], &ctx).unwrap();
    assert_eq!(got.span, None);
}

#[test]
fn strings_known() {
    check(&[
        (
            "join",
            json!(["-", ["foo", "bar", "baz"]]),
            json!("foo-bar-baz"),
        ),
        ("join", json!([", ", ["foo"]]), json!("foo")),
        ("join", json!([", ", ["a", 1], ["b"]]), json!("a, 1, b")),
        ("join", json!([",", []]), json!("")),
        ("split", json!([",", "foo"]), json!(["foo"])),
        (
            "split",
            json!([",", "foo,bar,baz"]),
            json!(["foo", "bar", "baz"]),
        ),
        ("split", json!([",", ""]), json!([""])),
        ("split", json!(["", "abc"]), json!(["a", "b", "c"])),
        ("lower", json!(["HELLO"]), json!("hello")),
        ("lower", json!(["АЛЛО!"]), json!("алло!")),
        ("upper", json!(["hello"]), json!("HELLO")),
        ("upper", json!(["алло!"]), json!("АЛЛО!")),
        ("title", json!(["hello world"]), json!("Hello World")),
        (
            "title",
            json!(["hello-world foo_bar"]),
            json!("Hello-World Foo_bar"),
        ),
        ("trimspace", json!(["  hello\n\n"]), json!("hello")),
        ("trim", json!(["?!hello?!", "!?"]), json!("hello")),
        ("trim", json!(["foobar", "far"]), json!("oob")),
        (
            "trim",
            json!(["   hello! world.!  ", "! "]),
            json!("hello! world."),
        ),
        ("trimprefix", json!(["helloworld", "hello"]), json!("world")),
        (
            "trimprefix",
            json!(["helloworld", "cat"]),
            json!("helloworld"),
        ),
        ("trimsuffix", json!(["helloworld", "world"]), json!("hello")),
        (
            "replace",
            json!(["1 + 2 + 3", "+", "-"]),
            json!("1 - 2 - 3"),
        ),
        (
            "replace",
            json!(["hello world", "world", "everybody"]),
            json!("hello everybody"),
        ),
        ("substr", json!(["hello world", 1, 4]), json!("ello")),
        ("substr", json!(["🤔🤷", 0, 1]), json!("🤔")),
        ("substr", json!(["hello world", -5, -1]), json!("world")),
        ("substr", json!(["hello world", 6, 10]), json!("world")),
        ("substr", json!(["hello", 10, 2]), json!("")),
        ("startswith", json!(["hello world", "hello"]), json!(true)),
        ("startswith", json!(["hello world", "world"]), json!(false)),
        ("endswith", json!(["hello world", "world"]), json!(true)),
        ("endswith", json!(["hello world", "hello"]), json!(false)),
        ("strcontains", json!(["hello world", "wor"]), json!(true)),
        ("strcontains", json!(["hello world", "wod"]), json!(false)),
        ("strrev", json!(["hello"]), json!("olleh")),
        ("strrev", json!(["a ☃"]), json!("☃ a")),
        ("strrev", json!(["ae\u{301}"]), json!("e\u{301}a")),
        ("chomp", json!(["hello\n\n"]), json!("hello")),
        ("chomp", json!(["hello\r\n"]), json!("hello")),
        (
            "indent",
            json!([2, "[\n  foo,\n  bar,\n]\n"]),
            json!("[\n    foo,\n    bar,\n  ]\n  "),
        ),
    ]);
    check_err(&[
        ("join", json!([","])),
        ("join", json!([",", [["a"]]])),
        ("join", json!([",", ["a", null]])),
        ("upper", json!([["a"]])),
        ("upper", json!([null])),
        ("split", json!([","])),
        ("substr", json!(["abc", 1.5, 1])),
    ]);
    check_unknown(&[
        (
            "regex",
            json!(["\\pL+", "abc"]),
            "Unicode character classes",
        ),
        (
            "replace",
            json!(["abc", "/(?U)a+/", "x"]),
            "not evaluated by infralint",
        ),
        (
            "upper",
            json!([unk("no value")]),
            "argument 1 of upper() is unknown: no value",
        ),
        (
            "join",
            json!([",", ["a", unk("late")]]),
            "argument 2 of join()",
        ),
    ]);
}

#[test]
fn regular_expressions() {
    check(&[
        (
            "regex",
            json!(["[a-z]+", "53453453.345345aaabbbccc23454"]),
            json!("aaabbbccc"),
        ),
        (
            "regex",
            json!(["(\\d\\d\\d\\d)-(\\d\\d)-(\\d\\d)", "2019-02-01"]),
            json!(["2019", "02", "01"]),
        ),
        (
            "regex",
            json!([
                "^(?:(?P<scheme>[^:/?#]+):)?(?://(?P<authority>[^/?#]*))?",
                "https://terraform.io/docs/"
            ]),
            json!({"scheme": "https", "authority": "terraform.io"}),
        ),
        ("regex", json!(["(a)|(b)", "b"]), json!([null, "b"])),
        ("regex", json!(["(?i)HELLO", "say hello"]), json!("hello")),
        ("regex", json!(["a.c", "a\nc abc"]), json!("abc")),
        ("regex", json!(["(?s)a.c", "a\nc"]), json!("a\nc")),
        (
            "regexall",
            json!(["[a-z]+", "1234abcd5678efgh9"]),
            json!(["abcd", "efgh"]),
        ),
        ("regexall", json!(["[a-z]+", "123456789"]), json!([])),
        ("regexall", json!(["a*", "baaab"]), json!(["", "aaa", ""])),
        (
            "regexall",
            json!(["(?m)^\\w+", "one two\nthree"]),
            json!(["one", "three"]),
        ),
        (
            "regexall",
            json!(["\\bfoo\\b", "foo foobar foo"]),
            json!(["foo", "foo"]),
        ),
        (
            "regexall",
            json!(["a{2,3}", "aaaaaaa"]),
            json!(["aaa", "aaa"]),
        ),
        ("regexall", json!(["a{2,3}?", "aaaaa"]), json!(["aa", "aa"])),
        (
            "regexall",
            json!(["<.+?>", "<a><b>"]),
            json!(["<a>", "<b>"]),
        ),
        (
            "regexall",
            json!(["[[:upper:]][^\\s]*", "Hello big World"]),
            json!(["Hello", "World"]),
        ),
        (
            "regexall",
            json!(["[\\d.-]+", "v1.2-3 x 4"]),
            json!(["1.2-3", "4"]),
        ),
        (
            "regexall",
            json!(["(\\w)=(\\w)", "a=1 b=2"]),
            json!([["a", "1"], ["b", "2"]]),
        ),
        ("regexall", json!(["é+", "ééa"]), json!(["éé"])),
        ("regexall", json!(["x*", ""]), json!([""])),
        (
            "replace",
            json!(["hello world", "/w.*d/", "everybody"]),
            json!("hello everybody"),
        ),
        (
            "replace",
            json!(["a1b2", "/(\\d)/", "<$1>"]),
            json!("a<1>b<2>"),
        ),
        (
            "replace",
            json!(["a1b2", "/(?P<n>\\d)/", "${n}$$"]),
            json!("a1$b2$"),
        ),
        (
            "replace",
            json!(["My Bucket_Name!", "/[^a-z0-9-]/", "-"]),
            json!("-y--ucket--ame-"),
        ),
        ("replace", json!(["abc", "/x*/", "-"]), json!("-a-b-c-")),
        ("replace", json!(["abc", "/b|/", "-"]), json!("-a-c-")),
    ]);
    check_err(&[
        ("regex", json!(["[a-z]+", "53453453.34534523454"])),
        ("regex", json!(["^b", "a\nb"])),
        ("regex", json!(["(", "x"])),
        ("regex", json!(["[z-a]", "x"])),
        ("regex", json!(["a**", "x"])),
        ("regex", json!(["(?P<x>a)(b)", "ab"])),
        ("regexall", json!(["\\k", "x"])),
        ("replace", json!(["x", "/(/", "y"])),
    ]);
}

#[test]
fn format_verbs() {
    check(&[
        (
            "format",
            json!(["Hello, %s!", "Ander"]),
            json!("Hello, Ander!"),
        ),
        (
            "format",
            json!(["There are %d lights", 4]),
            json!("There are 4 lights"),
        ),
        ("format", json!(["%d", "12"]), json!("12")),
        ("format", json!(["%5d|", 42]), json!("   42|")),
        ("format", json!(["%-5d|", 42]), json!("42   |")),
        ("format", json!(["%05d", -42]), json!("-0042")),
        ("format", json!(["%+d", 5]), json!("+5")),
        (
            "format",
            json!(["%x %X %o %b", 255, 255, 8, 5]),
            json!("ff FF 10 101"),
        ),
        ("format", json!(["%#x", 255]), json!("0xff")),
        ("format", json!(["%f", 1.23456]), json!("1.234560")),
        ("format", json!(["%.2f", 1.23456]), json!("1.23")),
        ("format", json!(["%8.2f|", 1.23456]), json!("    1.23|")),
        ("format", json!(["%.0f", 2.5]), json!("2")),
        ("format", json!(["%e", 1234.5678]), json!("1.234568e+03")),
        ("format", json!(["%.2E", 0.000123]), json!("1.23E-04")),
        ("format", json!(["%g", 1234.5678]), json!("1234.5678")),
        ("format", json!(["%g", 1000000]), json!("1e+06")),
        ("format", json!(["%g", 0.00001]), json!("1e-05")),
        ("format", json!(["%.3g", 1234.5678]), json!("1.23e+03")),
        ("format", json!(["%.3g", 1.23456]), json!("1.23")),
        ("format", json!(["%s", 1.5]), json!("1.5")),
        ("format", json!(["%s", true]), json!("true")),
        ("format", json!(["%.3s", "abcdef"]), json!("abc")),
        (
            "format",
            json!(["%10s|%-10s|", "right", "left"]),
            json!("     right|left      |"),
        ),
        (
            "format",
            json!(["%q", "hello \"world\"\n"]),
            json!("\"hello \\\"world\\\"\\n\""),
        ),
        (
            "format",
            json!(["%v %v %v", "a", 2, true]),
            json!("a 2 true"),
        ),
        ("format", json!(["%v", ["a", 1]]), json!("[\"a\",1]")),
        ("format", json!(["%#v", "a"]), json!("\"a\"")),
        (
            "format",
            json!(["%#v", {"b": 1, "a": [true]}]),
            json!("{\"a\":[true],\"b\":1}"),
        ),
        ("format", json!(["%v", null]), json!("null")),
        ("format", json!(["%t", true]), json!("true")),
        ("format", json!(["100%%"]), json!("100%")),
        ("format", json!(["%[2]s %[1]s", "a", "b"]), json!("b a")),
        ("format", json!(["%s-%[1]s", "x"]), json!("x-x")),
        (
            "format",
            json!(["%d", 10000000000000000i64]),
            json!("10000000000000000"),
        ),
        (
            "formatlist",
            json!(["Hello, %s!", ["Valentina", "Ander", "Olivia", "Sam"]]),
            json!([
                "Hello, Valentina!",
                "Hello, Ander!",
                "Hello, Olivia!",
                "Hello, Sam!"
            ]),
        ),
        (
            "formatlist",
            json!(["%s, %s!", "Salutations", ["Valentina", "Ander"]]),
            json!(["Salutations, Valentina!", "Salutations, Ander!"]),
        ),
        (
            "formatlist",
            json!(["%s=%d", ["a", "b"], [1, 2]]),
            json!(["a=1", "b=2"]),
        ),
        ("formatlist", json!(["%s", "x"]), json!(["x"])),
    ]);
    check_err(&[
        ("format", json!(["%d", 1.5])),
        ("format", json!(["%d", "abc"])),
        ("format", json!(["%s"])),
        ("format", json!(["%s", "a", "b"])),
        ("format", json!(["%s", ["a"]])),
        ("format", json!(["%t", 1])),
        ("format", json!(["%z", 1])),
        ("format", json!(["%"])),
        ("format", json!(["%s", null])),
        ("format", json!([])),
        ("formatlist", json!(["%s %s", ["a"], ["b", "c"]])),
    ]);
    check_unknown(&[
        (
            "format",
            json!(["%s-%s", "a", unk("late")]),
            "argument 3 of format() is unknown: late",
        ),
        (
            "format",
            json!([unk("spec"), "a"]),
            "argument 1 of format()",
        ),
        (
            "formatlist",
            json!(["%s", unk("list")]),
            "argument 2 of formatlist()",
        ),
    ]);
    // An Unknown element makes only its own row Unknown.
    let got = run("formatlist", json!(["%s!", ["a", unk("late")]])).unwrap();
    let rows = got.as_list().unwrap();
    assert_eq!(rows[0].as_str(), Some("a!"));
    assert!(rows[1].is_unknown());
}

#[test]
fn numeric() {
    check(&[
        ("abs", json!([23]), json!(23)),
        ("abs", json!([0]), json!(0)),
        ("abs", json!([-12.4]), json!(12.4)),
        ("ceil", json!([5]), json!(5)),
        ("ceil", json!([5.1]), json!(6)),
        ("floor", json!([5]), json!(5)),
        ("floor", json!([4.9]), json!(4)),
        ("floor", json!(["4.9"]), json!(4)),
        ("max", json!([12, 54, 3]), json!(54)),
        ("min", json!([12, 54, 3]), json!(3)),
        ("pow", json!([3, 2]), json!(9)),
        ("pow", json!([4, 0]), json!(1)),
        ("signum", json!([-13]), json!(-1)),
        ("signum", json!([0]), json!(0)),
        ("signum", json!([344]), json!(1)),
        ("log", json!([16, 2]), json!(4)),
        ("parseint", json!(["100", 10]), json!(100)),
        ("parseint", json!(["FF", 16]), json!(255)),
        ("parseint", json!(["-10", 16]), json!(-16)),
        ("parseint", json!(["1011111011101111", 2]), json!(48879)),
        ("parseint", json!(["aA", 62]), json!(656)),
    ]);
    check_err(&[
        ("parseint", json!(["12", 2])),
        ("parseint", json!(["FF", 10])),
        ("parseint", json!(["1", 1])),
        ("parseint", json!(["", 10])),
        ("max", json!([])),
        ("min", json!(["a"])),
        ("abs", json!([true])),
        ("pow", json!([1])),
    ]);
    check_unknown(&[
        ("max", json!([1, unk("late")]), "argument 2 of max()"),
        ("abs", json!([unk("late")]), "abs()"),
    ]);
}

#[test]
fn integers_print_without_fraction() {
    assert_eq!(num_to_string(3.0), "3");
    assert_eq!(num_to_string(-0.0), "0");
    assert_eq!(num_to_string(1e20), "100000000000000000000");
    assert_eq!(num_to_string(0.1), "0.1");
    assert_eq!(num_to_string(-2.5), "-2.5");
}

#[test]
fn encoding() {
    check(&[
        (
            "base64encode",
            json!(["Hello World"]),
            json!("SGVsbG8gV29ybGQ="),
        ),
        ("base64encode", json!([""]), json!("")),
        ("base64encode", json!(["ab"]), json!("YWI=")),
        (
            "base64decode",
            json!(["SGVsbG8gV29ybGQ="]),
            json!("Hello World"),
        ),
        ("base64decode", json!(["YWI="]), json!("ab")),
        (
            "base64decode",
            json!(["SGVsbG8g\r\nV29ybGQ=\n"]),
            json!("Hello World"),
        ),
        (
            "jsonencode",
            json!([{"hello": "world"}]),
            json!("{\"hello\":\"world\"}"),
        ),
        (
            "jsonencode",
            json!([{"b": 1, "a": [1.5, true, null]}]),
            json!("{\"a\":[1.5,true,null],\"b\":1}"),
        ),
        (
            "jsonencode",
            json!(["<a & b>"]),
            json!("\"\\u003ca \\u0026 b\\u003e\""),
        ),
        ("jsonencode", json!([10000000000i64]), json!("10000000000")),
        ("jsonencode", json!(["tab\there"]), json!("\"tab\\there\"")),
        (
            "jsondecode",
            json!(["{\"hello\": \"world\"}"]),
            json!({"hello": "world"}),
        ),
        ("jsondecode", json!(["true"]), json!(true)),
        (
            "jsondecode",
            json!(["[1, 2.5, null]"]),
            json!([1, 2.5, null]),
        ),
        (
            "urlencode",
            json!(["Hello World!"]),
            json!("Hello+World%21"),
        ),
        ("urlencode", json!(["☃"]), json!("%E2%98%83")),
        (
            "urlencode",
            json!(["foo:bar@localhost?foo=bar&bar=baz"]),
            json!("foo%3Abar%40localhost%3Ffoo%3Dbar%26bar%3Dbaz"),
        ),
        (
            "md5",
            json!(["hello world"]),
            json!("5eb63bbbe01eeed093cb22bb8f5acdc3"),
        ),
        (
            "md5",
            json!([""]),
            json!("d41d8cd98f00b204e9800998ecf8427e"),
        ),
        (
            "sha1",
            json!(["hello world"]),
            json!("2aae6c35c94fcfb415dbe95f408b9ce91ee846ed"),
        ),
        (
            "sha1",
            json!([""]),
            json!("da39a3ee5e6b4b0d3255bfef95601890afd80709"),
        ),
        (
            "sha256",
            json!(["hello world"]),
            json!("b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9"),
        ),
        (
            "sha512",
            json!(["hello world"]),
            json!(
                "309ecc489c12d6eb4cc40f50c902f2b4d0ed77ee511a7c7a9bcd3ca86d4cd86f989dd35bc5ff499670da34255b45b0cfd830e81f605dcf7dc5542e93ae9cd76f"
            ),
        ),
        (
            "base64sha256",
            json!(["hello world"]),
            json!("uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek="),
        ),
        (
            "base64sha512",
            json!(["hello world"]),
            json!(
                "MJ7MSJwS1utMxA9QyQLytNDtd+5RGnx6m808qG1M2G+YndNbxf9JlnDaNCVbRbDP2DDoH2Bdz33FVC6TrpzXbw=="
            ),
        ),
        (
            "yamlencode",
            json!([{"a": "b", "c": "d"}]),
            json!("\"a\": \"b\"\n\"c\": \"d\"\n"),
        ),
        (
            "yamlencode",
            json!([{"foo": [1, 2, 3], "bar": "baz"}]),
            json!("\"bar\": \"baz\"\n\"foo\":\n- 1\n- 2\n- 3\n"),
        ),
        (
            "yamlencode",
            json!([{"foo": [1, {"a": "b", "c": "d"}, 3], "bar": "baz"}]),
            json!("\"bar\": \"baz\"\n\"foo\":\n- 1\n- \"a\": \"b\"\n  \"c\": \"d\"\n- 3\n"),
        ),
        (
            "yamlencode",
            json!([{"x": {"y": true}}]),
            json!("\"x\":\n  \"y\": true\n"),
        ),
    ]);
    // A long input spans several blocks.
    let long = "a".repeat(1000);
    check(&[
        (
            "md5",
            json!([long]),
            json!("cabe45dcc9ae5b66ba86600cca6b8ba8"),
        ),
        (
            "sha1",
            json!([long]),
            json!("291e9a6c66994949b57ba5e650361e98fc36b1ba"),
        ),
    ]);
    check_err(&[
        ("base64decode", json!(["not base64!"])),
        ("base64decode", json!(["/w=="])),
        ("jsondecode", json!(["{"])),
        ("yamldecode", json!(["a: b\n---\nc: d\n"])),
        ("yamldecode", json!(["a: [b"])),
        ("csvdecode", json!([""])),
        ("csvdecode", json!(["a,b\n1,2,3"])),
        ("csvdecode", json!(["a\n\"x"])),
        ("uuidv5", json!(["nope", "x"])),
        ("jsonencode", json!([])),
        ("md5", json!([["a"]])),
    ]);
    check_unknown(&[
        (
            "jsonencode",
            json!([{"a": [unk("late")]}]),
            "argument 1 of jsonencode() is unknown: late",
        ),
        ("base64encode", json!([unk("late")]), "base64encode()"),
        ("sha256", json!([unk("late")]), "sha256()"),
    ]);
}

#[test]
fn network() {
    check(&[
        (
            "cidrhost",
            json!(["10.12.112.0/20", 16]),
            json!("10.12.112.16"),
        ),
        (
            "cidrhost",
            json!(["10.12.112.0/20", 268]),
            json!("10.12.113.12"),
        ),
        (
            "cidrhost",
            json!(["fd00:fd12:3456:7890:00a2::/72", 34]),
            json!("fd00:fd12:3456:7890::22"),
        ),
        ("cidrhost", json!(["10.0.0.0/24", -1]), json!("10.0.0.255")),
        ("cidrhost", json!(["10.0.0.5/24", 1]), json!("10.0.0.1")),
        (
            "cidrnetmask",
            json!(["172.16.0.0/12"]),
            json!("255.240.0.0"),
        ),
        (
            "cidrnetmask",
            json!(["10.0.0.0/32"]),
            json!("255.255.255.255"),
        ),
        ("cidrnetmask", json!(["0.0.0.0/0"]), json!("0.0.0.0")),
        (
            "cidrsubnet",
            json!(["172.16.0.0/12", 4, 2]),
            json!("172.18.0.0/16"),
        ),
        (
            "cidrsubnet",
            json!(["10.1.2.0/24", 4, 15]),
            json!("10.1.2.240/28"),
        ),
        (
            "cidrsubnet",
            json!(["fd00:fd12:3456:7890::/56", 16, 162]),
            json!("fd00:fd12:3456:7800:a200::/72"),
        ),
        (
            "cidrsubnet",
            json!(["10.0.0.0/16", 0, 0]),
            json!("10.0.0.0/16"),
        ),
        (
            "cidrsubnets",
            json!(["10.1.0.0/16", 4, 4, 8, 4]),
            json!([
                "10.1.0.0/20",
                "10.1.16.0/20",
                "10.1.32.0/24",
                "10.1.48.0/20"
            ]),
        ),
        (
            "cidrsubnets",
            json!(["fd00:fd12:3456:7890::/56", 16, 16, 16, 32]),
            json!([
                "fd00:fd12:3456:7800::/72",
                "fd00:fd12:3456:7800:100::/72",
                "fd00:fd12:3456:7800:200::/72",
                "fd00:fd12:3456:7800:300::/88"
            ]),
        ),
        (
            "cidrsubnets",
            json!(["10.0.0.0/8", 8, 8]),
            json!(["10.0.0.0/16", "10.1.0.0/16"]),
        ),
        ("cidrsubnets", json!(["10.0.0.0/24"]), json!([])),
    ]);
    check_err(&[
        ("cidrhost", json!(["10.0.0.0/24", 256])),
        ("cidrhost", json!(["10.0.0.0/24", -257])),
        ("cidrhost", json!(["not a cidr", 1])),
        ("cidrnetmask", json!(["fd00::/8"])),
        ("cidrsubnet", json!(["10.0.0.0/24", 4, 16])),
        ("cidrsubnet", json!(["10.0.0.0/24", 9, 0])),
        ("cidrsubnet", json!(["10.0.0.0/24", -1, 0])),
        ("cidrsubnets", json!(["10.0.0.0/24", 1, 1, 1])),
        ("cidrsubnets", json!(["10.0.0.0/24", 0])),
        ("cidrsubnets", json!(["10.0.0.0/24", 9])),
    ]);
    check_unknown(&[
        (
            "cidrsubnet",
            json!([unk("var.vpc_cidr"), 8, 1]),
            "argument 1 of cidrsubnet() is unknown: var.vpc_cidr",
        ),
        (
            "cidrhost",
            json!(["10.0.0.0/24", unk("late")]),
            "argument 2 of cidrhost()",
        ),
    ]);
}

#[test]
fn not_evaluated_and_unsupported() {
    check_unknown(&[
        (
            "timestamp",
            json!([]),
            "function `timestamp` is not evaluated statically",
        ),
        (
            "uuid",
            json!([]),
            "function `uuid` is not evaluated statically",
        ),
        ("bcrypt", json!(["x"]), "not evaluated statically"),
        ("plantimestamp", json!([]), "not evaluated statically"),
        (
            "timeadd",
            json!(["2017-11-22T00:00:00Z", "10m"]),
            "not evaluated statically",
        ),
        (
            "formatdate",
            json!(["DD MMM YYYY", "2018-01-02T23:12:01Z"]),
            "not evaluated statically",
        ),
        (
            "pathexpand",
            json!(["~/.ssh/id_rsa"]),
            "not evaluated statically",
        ),
        (
            "no_such_function",
            json!([]),
            "function `no_such_function` is not supported by infralint",
        ),
        ("base64gzip", json!(["x"]), "not supported by infralint"),
    ]);
}

#[test]
fn path_functions() {
    check(&[
        ("basename", json!(["foo/bar/baz.txt"]), json!("baz.txt")),
        ("basename", json!(["foo/bar/"]), json!("bar")),
        ("basename", json!([""]), json!(".")),
        ("basename", json!(["/"]), json!("/")),
        ("dirname", json!(["foo/bar/baz.txt"]), json!("foo/bar")),
        ("dirname", json!(["foo"]), json!(".")),
        ("dirname", json!(["/foo"]), json!("/")),
        ("dirname", json!(["foo/../bar/x"]), json!("bar")),
        ("abspath", json!(["/a/b/../c"]), json!("/a/c")),
        (
            "pathexpand",
            json!(["/etc/resolv.conf"]),
            json!("/etc/resolv.conf"),
        ),
    ]);
    check_unknown(&[("abspath", json!(["relative/path"]), "working directory")]);
}

#[test]
fn file_reads_only_inside_the_scanned_tree() {
    let tree = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    let root = tree.path().to_path_buf();
    let module = root.join("mod");
    std::fs::create_dir_all(&module).unwrap();
    std::fs::write(module.join("policy.json"), "{\"a\": 1}").unwrap();
    std::fs::write(root.join("shared.txt"), "hello world").unwrap();
    std::fs::write(outside.path().join("secret.txt"), "secret").unwrap();
    std::fs::write(module.join("big.bin"), vec![b'a'; 1024 * 1024 + 1]).unwrap();
    std::fs::write(module.join("bin.dat"), [0xff, 0xfe]).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(outside.path().join("secret.txt"), module.join("link.txt")).unwrap();
    let roots = vec![root.clone()];
    let run = |name: &str, args: J| run_in(name, &args, &module, &roots);

    assert_eq!(
        run("file", json!(["policy.json"])).unwrap().as_str(),
        Some("{\"a\": 1}")
    );
    assert_eq!(
        run("file", json!(["../shared.txt"])).unwrap().as_str(),
        Some("hello world")
    );
    let abs = module.join("policy.json").to_string_lossy().to_string();
    assert_eq!(
        run("file", json!([abs])).unwrap().as_str(),
        Some("{\"a\": 1}")
    );
    assert_eq!(
        run("filebase64", json!(["bin.dat"])).unwrap().as_str(),
        Some("//4=")
    );
    assert_eq!(
        run("filemd5", json!(["../shared.txt"])).unwrap().as_str(),
        Some("5eb63bbbe01eeed093cb22bb8f5acdc3")
    );
    assert_eq!(
        run("filesha256", json!(["../shared.txt"]))
            .unwrap()
            .as_str(),
        Some("b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9")
    );
    assert_eq!(
        run("filebase64sha256", json!(["../shared.txt"]))
            .unwrap()
            .as_str(),
        Some("uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=")
    );
    assert_eq!(
        run("fileexists", json!(["policy.json"])).unwrap().as_bool(),
        Some(true)
    );
    assert_eq!(
        run("fileexists", json!(["missing.json"]))
            .unwrap()
            .as_bool(),
        Some(false)
    );
    assert_eq!(
        run("fileexists", json!(["sub/missing.json"]))
            .unwrap()
            .as_bool(),
        Some(false)
    );
    assert!(run("fileexists", json!(["."])).is_err());
    assert!(run("file", json!(["bin.dat"])).is_err());

    let reason = |name: &str, args: J| {
        run(name, args)
            .unwrap()
            .as_unknown()
            .map(|u| u.reason.clone())
            .unwrap_or_default()
    };
    let secret = outside
        .path()
        .join("secret.txt")
        .to_string_lossy()
        .to_string();
    assert!(reason("file", json!([secret])).contains("outside the scanned tree"));
    assert!(reason("fileexists", json!([secret])).contains("outside the scanned tree"));
    assert!(
        reason("file", json!(["../../../../../../etc/passwd"]))
            .contains("outside the scanned tree")
    );
    #[cfg(unix)]
    assert!(reason("file", json!(["link.txt"])).contains("outside the scanned tree"));
    assert!(reason("file", json!(["big.bin"])).contains("larger than 1 MiB"));
    assert!(reason("file", json!(["missing.json"])).contains("no file exists"));
    assert!(reason("file", json!(["~/.aws/credentials"])).contains("home directory"));
    assert!(reason("file", json!([unk("late")])).contains("argument 1 of file() is unknown"));

    // fileset lists files under a directory of the tree.
    std::fs::create_dir_all(module.join("files/sub")).unwrap();
    for f in [
        "files/hello.txt",
        "files/world.txt",
        "files/x.json",
        "files/sub/deep.txt",
    ] {
        std::fs::write(module.join(f), "x").unwrap();
    }
    let names = |v: Value| -> Vec<String> {
        v.as_list()
            .unwrap()
            .iter()
            .map(|x| x.as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        names(run("fileset", json!([".", "files/*.txt"])).unwrap()),
        ["files/hello.txt", "files/world.txt"]
    );
    assert_eq!(
        names(run("fileset", json!(["files", "**/*.txt"])).unwrap()),
        ["hello.txt", "sub/deep.txt", "world.txt"]
    );
    assert_eq!(
        names(run("fileset", json!(["files", "{hello,x}.*"])).unwrap()),
        ["hello.txt", "x.json"]
    );
    assert!(names(run("fileset", json!(["nope", "*"])).unwrap()).is_empty());
    assert!(run("fileset", json!([".", "[unclosed"])).is_err());
    assert!(reason("fileset", json!(["../..", "*"])).contains("outside the scanned tree"));

    // templatefile substitutes variables; directives and expressions are Unknown.
    let tpl = "{\"Resource\": \"${bucket_arn}/*\", \"N\": ${conf.count}, \"T\": \"${tags[\"env\"]}-${ids[1]}\", \"L\": \"$${literal} %%{x}\"}\n  ${~ bucket_arn ~}  \n";
    std::fs::write(module.join("policy.tpl"), tpl).unwrap();
    std::fs::write(module.join("quoted.tpl"), "${\"x\"}!").unwrap();
    std::fs::write(module.join("loop.tpl"), "%{ for x in xs }${x}%{ endfor }").unwrap();
    std::fs::write(module.join("call.tpl"), "${jsonencode(x)}").unwrap();
    std::fs::write(module.join("whole.tpl"), "${conf}").unwrap();
    let vars = json!({"bucket_arn": "arn:aws:s3:::b", "conf": {"count": 3}, "tags": {"env": "prod"}, "ids": ["a", "b"]});
    assert_eq!(
        run("templatefile", json!(["policy.tpl", vars]))
            .unwrap()
            .as_str(),
        Some(
            "{\"Resource\": \"arn:aws:s3:::b/*\", \"N\": 3, \"T\": \"prod-b\", \"L\": \"${literal} %{x}\"}arn:aws:s3:::b"
        )
    );
    assert_eq!(
        run("templatefile", json!(["whole.tpl", vars]))
            .unwrap()
            .to_json(),
        json!({"count": 3})
    );
    assert!(reason("templatefile", json!(["quoted.tpl", {}])).contains("not evaluated"));
    assert!(reason("templatefile", json!(["loop.tpl", {"xs": []}])).contains("directives"));
    assert!(reason("templatefile", json!(["call.tpl", {"x": 1}])).contains("not evaluated"));
    let late = json!({"bucket_arn": unk("late"), "conf": {"count": 1}, "tags": {"env": "x"}, "ids": [1, 2]});
    assert!(reason("templatefile", json!(["policy.tpl", late])).contains("late"));
    assert!(
        run("templatefile", json!(["policy.tpl", {}])).is_err(),
        "missing variable"
    );
    assert!(run("templatefile", json!(["policy.tpl", "x"])).is_err());
    assert!(reason("templatefile", json!(["../../../etc/x.tpl", {}])).contains("outside"));

    // Nothing is read when no root is allowed.
    let none = run_in("file", &json!(["policy.json"]), &module, &[]).unwrap();
    assert!(none.is_unknown());
}

#[test]
fn arity_errors() {
    check_err(&[
        ("upper", json!([])),
        ("upper", json!(["a", "b"])),
        ("lookup", json!([{}, "a", "b", "c"])),
        ("element", json!([["a"]])),
        ("cidrhost", json!(["10.0.0.0/8"])),
        ("jsonencode", json!(["a", "b"])),
        ("file", json!([])),
    ]);
}

#[test]
fn regex_stays_linear_on_hostile_patterns() {
    let text = "a".repeat(5000);
    for pattern in ["(a*)*b", "(a|a)*b", "(a|aa)+$b", "(?:a+)+b"] {
        let start = std::time::Instant::now();
        let got = run("regexall", json!([pattern, text])).unwrap();
        assert_eq!(got.to_json(), json!([]), "{pattern}");
        assert!(
            start.elapsed() < std::time::Duration::from_secs(20),
            "{pattern} took {:?}",
            start.elapsed()
        );
    }
    // Inputs too large for the visited set are Unknown, not slow.
    let huge = "a".repeat(100_000);
    let got = run("regex", json!(["(a|b){0,500}c", huge])).unwrap();
    assert!(got.is_unknown());
}

#[test]
fn regexall_with_many_matches_is_bounded() {
    let text = "ab".repeat(50_000);
    let start = std::time::Instant::now();
    let got = run("regexall", json!(["a", text])).unwrap();
    // Either all matches or Unknown when the work cap is reached; never a hang.
    assert!(got.is_unknown() || got.as_list().map(<[Value]>::len) == Some(50_000));
    assert!(start.elapsed() < std::time::Duration::from_secs(30));
}
