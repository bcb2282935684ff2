#!/usr/bin/env python3
"""Independent checker of a MemoryOS export archive (issue 9, acceptance).

Uses none of the project's code: only Python's zipfile, hashlib, json (and re, sys, base64)
and PyNaCl (Debian: python3-nacl) for Ed25519.

    python3 tests/helpers/check-export.py ARCHIVE.zip PUBLIC_KEY_BASE64 \
        [--must-contain TEXT]... [--must-not-contain TEXT]...

PUBLIC_KEY_BASE64 is the signing device's Ed25519 key as `device.list` returns it. Prints one JSON
report on stdout; exits 0 when the archive is valid, 1 when it is not, 2 on a usage error.

What "valid" means here:
  - manifest.json and manifest.sig are in the archive, once each;
  - the manifest's signing_device.public_key is the expected key, and manifest.sig (base64,
    whitespace ignored) is a valid Ed25519 signature by the expected key over the exact bytes of
    manifest.json;
  - every file of the archive but those two is listed in manifest.files with the same size and
    SHA-256 (computed here from the decompressed bytes; zipfile also checks each CRC-32), no file
    is in the archive twice, every listed file is in the archive;
  - memories/<id>.json: each parses as a JSON object whose memory_id is <id> and which has every
    field of the export-memory contract (MEMORY_FIELDS below); each has a memories/<id>.md that
    starts with YAML front matter ("---" line ... "---" line) naming the same memory_id;
  - README.md is there and names, case-insensitively (README_KEYWORDS below):
      purposes    "purpose"
      categories  "categor"            (category / categories)
      recipients  "recipient"
      retention   "retention"
      rights      "rectification", "erasure", "restriction" and "object" (objection), all four
      complaint   "complaint" and "supervisory authority"
      source      "source"
      automated   "automated decision"  (that no automated decision-making takes place)
  - each --must-contain TEXT occurs in some memory file (.json or .md), and no
    --must-not-contain TEXT occurs in a memory file, a .json file, README.md or the manifest.
"""
import base64
import hashlib
import json
import re
import sys
import zipfile

try:
    import nacl.exceptions
    import nacl.signing
except ImportError:  # pragma: no cover
    print(json.dumps({"valid": False, "error": "PyNaCl is not installed (Debian: apt-get install python3-nacl)"}))
    sys.exit(2)

MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
MEMORY_JSON = re.compile(r"^memories/([0-9A-HJKMNP-TV-Z]{26})\.json$")
MEMORY_MD = re.compile(r"^memories/([0-9A-HJKMNP-TV-Z]{26})\.md$")
MEMORY_FIELDS = [
    "memory_id", "space_id", "space_name", "type", "band", "title", "body", "tags", "people",
    "places", "occurred_at", "expires_at", "author", "origin_device", "created_at", "updated_at",
    "deleted_at", "version", "recipients", "attachments",
]
README_KEYWORDS = {
    "purposes": ["purpose"],
    "categories": ["categor"],
    "recipients": ["recipient"],
    "retention": ["retention"],
    "rights": ["rectification", "erasure", "restriction", "object"],
    "complaint": ["complaint", "supervisory authority"],
    "source": ["source"],
    "automated_decisions": ["automated decision"],
}
BLOCK = 1 << 20


def usage():
    print(__doc__.strip().split("\n\n")[1], file=sys.stderr)
    sys.exit(2)


def parse_args(argv):
    pos, must, must_not = [], [], []
    i = 0
    while i < len(argv):
        a = argv[i]
        if a in ("--must-contain", "--must-not-contain"):
            if i + 1 >= len(argv):
                usage()
            (must if a == "--must-contain" else must_not).append(argv[i + 1])
            i += 2
        elif a.startswith("--"):
            usage()
        else:
            pos.append(a)
            i += 1
    if len(pos) != 2:
        usage()
    return pos[0], pos[1], must, must_not


def main(argv):
    path, key_b64, must, must_not = parse_args(argv)
    report = {"archive": path, "valid": False, "problems": []}
    problems = report["problems"]

    try:
        expected_key = base64.b64decode(key_b64, validate=True)
        if len(expected_key) != 32:
            raise ValueError("not 32 bytes")
    except Exception as e:  # noqa: BLE001
        print(json.dumps({"archive": path, "valid": False, "error": f"bad public key: {e}"}))
        return 2

    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as e:
        report["problems"].append({"path": path, "reason": "not_a_zip", "detail": str(e)})
        print(json.dumps(report, indent=2))
        return 1

    found = {}          # name -> (size, sha256)
    texts = {}          # small text files kept for the content checks
    duplicates, corrupt = [], []
    manifest_bytes = sig_text = None
    with zf:
        for info in zf.infolist():
            name = info.filename
            if name in found or (name == MANIFEST and manifest_bytes is not None) or (name == SIGNATURE and sig_text is not None):
                duplicates.append(name)
                continue
            h = hashlib.sha256()
            size = 0
            keep = name in (MANIFEST, SIGNATURE, "README.md") or name.startswith("memories/") or name.endswith(".json")
            kept = []
            try:
                with zf.open(info) as f:
                    while True:
                        block = f.read(BLOCK)
                        if not block:
                            break
                        h.update(block)
                        size += len(block)
                        if keep:
                            kept.append(block)
            except (zipfile.BadZipFile, OSError, EOFError, ValueError) as e:
                corrupt.append({"path": name, "reason": "corrupt", "detail": str(e)})
                continue
            data = b"".join(kept) if keep else None
            if name == MANIFEST:
                manifest_bytes = data
            elif name == SIGNATURE:
                sig_text = data.decode("latin-1")
            else:
                found[name] = (size, h.hexdigest())
                if data is not None:
                    texts[name] = data

    checks = {}
    report["checks"] = checks

    # ---- manifest and signature -------------------------------------------------------------
    checks["manifest_present"] = manifest_bytes is not None
    checks["signature_present"] = sig_text is not None
    manifest = None
    if manifest_bytes is not None:
        try:
            manifest = json.loads(manifest_bytes.decode("utf-8"))
            if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), list):
                raise ValueError("no files list")
        except Exception as e:  # noqa: BLE001
            problems.append({"path": MANIFEST, "reason": "manifest_invalid", "detail": str(e)})
            manifest = None
    else:
        problems.append({"path": MANIFEST, "reason": "missing"})
    if sig_text is None:
        problems.append({"path": SIGNATURE, "reason": "missing"})

    manifest_key = (manifest or {}).get("signing_device", {}).get("public_key") if manifest else None
    checks["key_matches"] = manifest_key is not None and manifest_key == base64.b64encode(expected_key).decode()
    if manifest and not checks["key_matches"]:
        problems.append({"path": SIGNATURE, "reason": "wrong_key", "detail": f"manifest names {manifest_key}"})
    sig_ok = False
    if manifest_bytes is not None and sig_text is not None:
        try:
            sig = base64.b64decode("".join(sig_text.split()), validate=True)
            nacl.signing.VerifyKey(expected_key).verify(manifest_bytes, sig)
            sig_ok = True
        except (nacl.exceptions.BadSignatureError, ValueError, TypeError) as e:
            problems.append({"path": SIGNATURE, "reason": "bad_signature", "detail": str(e) or type(e).__name__})
    checks["signature_valid"] = sig_ok

    # ---- files against the manifest ---------------------------------------------------------
    listed = {}
    if manifest:
        for f in manifest["files"]:
            if not isinstance(f, dict) or not isinstance(f.get("path"), str):
                problems.append({"path": MANIFEST, "reason": "manifest_invalid", "detail": f"bad entry {f!r}"[:200]})
                continue
            if f["path"] in listed:
                problems.append({"path": f["path"], "reason": "listed_twice"})
            listed[f["path"]] = f
    matching, mismatched, unlisted, missing = 0, [], [], []
    for name, (size, sha) in found.items():
        want = listed.get(name)
        if want is None:
            unlisted.append(name)
        elif want.get("size") != size:
            mismatched.append({"path": name, "reason": "size_mismatch", "listed": want.get("size"), "found": size})
        elif want.get("sha256") != sha:
            mismatched.append({"path": name, "reason": "sha256_mismatch", "listed": want.get("sha256"), "found": sha})
        else:
            matching += 1
    for name in listed:
        if name not in found and name not in [c["path"] for c in corrupt]:
            missing.append(name)
    checks["files_listed"] = len(listed)
    checks["files_matching"] = matching
    checks["mismatched"] = mismatched
    checks["unlisted"] = unlisted
    checks["missing"] = missing
    checks["duplicates"] = duplicates
    checks["corrupt"] = corrupt
    problems += corrupt + mismatched
    problems += [{"path": n, "reason": "unlisted"} for n in unlisted]
    problems += [{"path": n, "reason": "missing"} for n in missing]
    problems += [{"path": n, "reason": "duplicate"} for n in duplicates]

    # ---- memories ---------------------------------------------------------------------------
    json_ids, md_ids, invalid = [], [], []
    for name in sorted(found):
        m = MEMORY_JSON.match(name)
        if m:
            json_ids.append(m.group(1))
            try:
                doc = json.loads(texts[name].decode("utf-8"))
                absent = [k for k in MEMORY_FIELDS if k not in doc]
                if doc.get("memory_id") != m.group(1) or absent:
                    invalid.append({"path": name, "detail": f"memory_id {doc.get('memory_id')!r}, missing fields {absent}"})
            except Exception as e:  # noqa: BLE001
                invalid.append({"path": name, "detail": str(e)})
        m = MEMORY_MD.match(name)
        if m:
            md_ids.append(m.group(1))
            text = texts[name].decode("utf-8", errors="replace")
            lines = text.split("\n")
            closing = next((i for i, ln in enumerate(lines[1:], 1) if ln == "---"), None)
            front = "\n".join(lines[1:closing]) if closing else ""
            if lines[0] != "---" or closing is None or not re.search(r"^memory_id: ['\"]?%s['\"]?$" % m.group(1), front, re.M):
                invalid.append({"path": name, "detail": "no front matter naming its memory_id"})
    checks["memory_json"] = {"count": len(json_ids), "ids": json_ids}
    checks["markdown"] = {"count": len(md_ids), "without_json": sorted(set(md_ids) - set(json_ids)), "json_without_markdown": sorted(set(json_ids) - set(md_ids))}
    checks["memory_invalid"] = invalid
    problems += [{"path": i["path"], "reason": "memory_invalid", "detail": i["detail"]} for i in invalid]
    problems += [{"path": f"memories/{i}.md", "reason": "markdown_missing"} for i in checks["markdown"]["json_without_markdown"]]
    problems += [{"path": f"memories/{i}.json", "reason": "json_missing"} for i in checks["markdown"]["without_json"]]

    # ---- README.md --------------------------------------------------------------------------
    readme = texts.get("README.md")
    names = {}
    if readme is None:
        problems.append({"path": "README.md", "reason": "missing"})
    else:
        low = readme.decode("utf-8", errors="replace").lower()
        for topic, words in README_KEYWORDS.items():
            names[topic] = all(w in low for w in words)
            if not names[topic]:
                problems.append({"path": "README.md", "reason": "readme_incomplete", "detail": f"does not name {topic} ({', '.join(words)})"})
    checks["readme"] = {"present": readme is not None, "names": names}

    # ---- content ------------------------------------------------------------------------------
    memory_text = b"\n".join(v for k, v in texts.items() if k.startswith("memories/"))
    all_text = b"\n".join(texts.values()) + (manifest_bytes or b"")
    contains = {t: t.encode("utf-8") in memory_text for t in must}
    absent = {t: t.encode("utf-8") not in all_text for t in must_not}
    checks["must_contain"] = contains
    checks["must_not_contain"] = absent
    problems += [{"path": "memories/", "reason": "content_missing", "detail": t} for t, ok in contains.items() if not ok]
    problems += [{"path": "(archive)", "reason": "content_present", "detail": t} for t, ok in absent.items() if not ok]

    report["valid"] = not problems and sig_ok and checks["key_matches"]
    print(json.dumps(report, indent=2))
    return 0 if report["valid"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
