#!/usr/bin/env python3
"""Validate gluetrace JSON output against docs/gluetrace.schema.json.

usage: validate.py SCHEMA json FILE     one -o json object
       validate.py SCHEMA jsonl FILE    -o jsonl: query lines, then exactly one summary line
Prints one line per problem; exit 1 if there was any.
"""
import json
import sys

try:
    import jsonschema
except ImportError:
    print("validate.py: the jsonschema module is missing (Debian: python3-jsonschema)")
    sys.exit(1)


def main():
    schema_path, mode, path = sys.argv[1:4]
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    problems = []

    def check(doc, ref, where):
        sub = {"$schema": schema["$schema"], "$defs": schema["$defs"]}
        if ref:
            sub["$ref"] = "#/$defs/" + ref
        else:
            sub = schema
        for e in jsonschema.Draft202012Validator(sub).iter_errors(doc):
            problems.append("%s: %s at %s" % (where, e.message, "/".join(map(str, e.absolute_path))))

    with open(path, encoding="utf-8") as f:
        text = f.read()
    if mode == "json":
        check(json.loads(text), None, path)
    else:
        lines = text.splitlines()
        if not lines:
            problems.append(path + ": no lines")
        for i, line in enumerate(lines, 1):
            obj = json.loads(line)
            last = i == len(lines)
            check(obj, "jsonl_summary" if last else "jsonl_query", "%s:%d" % (path, i))
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
