"""URL functions (parse_url, url_encode, url_decode and their try_ forms) and digest hashes
(md5, sha1/sha, sha2, crc32), as Spark computes them with java.net and Java digests."""
from __future__ import annotations

import hashlib
import re
import urllib.parse
import zlib

import pyarrow as pa

from ember import types as T
from ember.catalog.functions import builtin
from ember.errors import SparkRuntimeException
from ember.optimizer.analyzer.type_coercion import coerce
from ember.engine.functions.scalar_base import LONG, STRING, Fn, arity, rowwise

_URI = re.compile(r"^(?:([A-Za-z][A-Za-z0-9+.\-]*):)?(?://([^/?#]*))?([^?#]*)(?:\?([^#]*))?"
                  r"(?:#(.*))?$")
_BAD_URI_CHARS = re.compile(r"[\s\"<>\\^`{|}]")


def _parse_url(url: str, part: str, key=None):
    """java.net.URI's view of `url`; None for a missing part, ValueError when invalid."""
    if _BAD_URI_CHARS.search(url) or re.search(r"%(?![0-9A-Fa-f]{2})", url):
        raise ValueError(url)
    m = _URI.match(url)
    if m is None:
        raise ValueError(url)
    scheme, authority, path, query, ref = m.groups()
    if url.split(":", 1)[0] and ":" in url.split("/", 1)[0] and scheme is None:
        raise ValueError(url)
    userinfo = host = None
    if authority is not None:
        if "@" in authority:
            userinfo, _, hostport = authority.rpartition("@")
        else:
            hostport = authority
        host = re.sub(r":\d*$", "", hostport) if not hostport.startswith("[") else \
            hostport[:hostport.index("]") + 1]
        host = host or None
    if part == "HOST":
        return host
    if part == "PATH":
        return path
    if part == "QUERY":
        if key is None or query is None:
            return query
        km = re.search(r"(&|^)" + re.escape(key) + r"=([^&]*)", query)
        return km.group(2) if km else None
    if part == "REF":
        return ref
    if part == "PROTOCOL":
        return scheme
    if part == "FILE":
        return path + ("?" + query if query is not None else "")
    if part == "AUTHORITY":
        return authority
    if part == "USERINFO":
        return userinfo
    return None


class ParseUrl(Fn):
    name = "parse_url"
    result_type = STRING
    try_mode = False

    @property
    def nullable(self):
        return True

    def expected_types(self):
        return [T.StringType()] * len(self.children)

    def evaluate(self, args, n):
        def f(url, part, key=None):
            try:
                return _parse_url(url, part, key)
            except ValueError:
                if self.try_mode:
                    return None
                raise SparkRuntimeException("INVALID_URL", url=url,
                                            ansiConfig='"spark.sql.ansi.enabled"')
        return rowwise(f, args, pa.string())


def _parse_url_builder(name, try_mode):
    def build(args, call):
        arity(name, args, 2, 3)
        e = ParseUrl(*args, display=name)
        e.try_mode = try_mode
        return coerce(e)
    return build


builtin("parse_url", group="url_funcs")(_parse_url_builder("parse_url", False))
builtin("try_parse_url", group="url_funcs")(_parse_url_builder("try_parse_url", True))


class UrlEncode(Fn):
    name = "url_encode"
    input_types = (T.StringType(),)
    result_type = STRING

    def evaluate(self, args, n):
        return rowwise(lambda s: urllib.parse.quote_plus(s, safe="*").replace("~", "%7E"), args,
                       pa.string())


class UrlDecode(Fn):
    name = "url_decode"
    input_types = (T.StringType(),)
    result_type = STRING
    try_mode = False

    def evaluate(self, args, n):
        def f(s):
            if re.search(r"%(?![0-9A-Fa-f]{2})", s):
                if self.try_mode:
                    return None
                raise SparkRuntimeException("CANNOT_DECODE_URL", url=s)
            return urllib.parse.unquote_plus(s)
        return rowwise(f, args, pa.string())


@builtin("url_encode", group="url_funcs")
def _url_encode(args, call):
    arity("url_encode", args, 1)
    return coerce(UrlEncode(*args))


def _url_decode_builder(name, try_mode):
    def build(args, call):
        arity(name, args, 1)
        e = UrlDecode(*args, display=name)
        e.try_mode = try_mode
        return coerce(e)
    return build


builtin("url_decode", group="url_funcs")(_url_decode_builder("url_decode", False))
builtin("try_url_decode", group="url_funcs")(_url_decode_builder("try_url_decode", True))


# ---------------------------------------------------------------------------- digests
class Digest(Fn):
    name = "md5"
    input_types = (T.BinaryType(),)
    result_type = STRING
    algorithm = "md5"

    def evaluate(self, args, n):
        algo = self.algorithm
        return rowwise(lambda b: hashlib.new(algo, b).hexdigest(), args, pa.string())


def _digest_builder(name, algorithm):
    cls = type("Digest_" + name, (Digest,), {"name": name, "algorithm": algorithm})

    def build(args, call):
        arity(name, args, 1)
        return coerce(cls(*args))
    return build


for _name, _algo in (("md5", "md5"), ("sha1", "sha1"), ("sha", "sha1")):
    builtin(_name, group="hash_funcs")(_digest_builder(_name, _algo))


class Sha2(Fn):
    name = "sha2"
    input_types = (T.BinaryType(), T.IntegerType())
    result_type = STRING

    @property
    def nullable(self):
        return True

    def evaluate(self, args, n):
        algos = {0: "sha256", 224: "sha224", 256: "sha256", 384: "sha384", 512: "sha512"}

        def f(b, bits):
            algo = algos.get(bits)
            return None if algo is None else hashlib.new(algo, b).hexdigest()
        return rowwise(f, args, pa.string())


@builtin("sha2", group="hash_funcs")
def _sha2(args, call):
    arity("sha2", args, 2)
    return coerce(Sha2(*args))


class Crc32(Fn):
    name = "crc32"
    input_types = (T.BinaryType(),)
    result_type = LONG

    def evaluate(self, args, n):
        return rowwise(lambda b: zlib.crc32(b) & 0xFFFFFFFF, args, pa.int64())


@builtin("crc32", group="hash_funcs")
def _crc32(args, call):
    arity("crc32", args, 1)
    return coerce(Crc32(*args))
