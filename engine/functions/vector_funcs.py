"""Vector functions over array<float> (Spark's vector_funcs): inner product, cosine
similarity, L2 distance, norm and normalize."""
from __future__ import annotations

import math

import numpy as np

from ember import types as T
from ember.catalog.functions import builtin
from ember.errors import AnalysisException
from ember.optimizer.expressions import Literal
from ember.engine.functions.scalar_base import Fn, arity, rowwise


# ---------------------------------------------------------------------------- vectors
class VectorFunction(Fn):
    """vector_inner_product / cosine_similarity / l2_distance / norm / normalize over
    array<float>, computed in double and returned as float."""
    name = "vector_inner_product"

    @property
    def data_type(self):
        if self.name == "vector_normalize":
            return T.ArrayType(T.FloatType(), False)
        return T.FloatType()

    @property
    def nullable(self):
        return True

    def type_check(self):
        from ember.optimizer.expressions.functions import ORDINALS
        want = T.ArrayType(T.FloatType())
        for i, c in enumerate(self.children):
            dt = c.data_type
            ok = (isinstance(dt, T.ArrayType) and isinstance(dt.elementType, T.FloatType)) \
                if i == 0 or self.name not in ("vector_norm", "vector_normalize") else \
                isinstance(dt, T.FloatType)
            if not ok:
                return AnalysisException(
                    "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE",
                    sqlExpr='"' + self.pretty_sql() + '"', paramIndex=ORDINALS[i],
                    inputSql='"' + c.pretty_sql() + '"', inputType='"' + dt.sql() + '"',
                    requiredType='"' + (want.sql() if i == 0 or self.name not in (
                        "vector_norm", "vector_normalize") else "FLOAT") + '"')
        return None

    def evaluate(self, args, n):
        name = self.name

        def norm(v, p):
            if p not in (1.0, 2.0, float("inf")):
                from ember.errors import SparkRuntimeException
                raise SparkRuntimeException("INVALID_VECTOR_NORM_DEGREE",
                                            functionName=f"`{name}`", degree=str(p))
            if p == float("inf"):
                return max((abs(x) for x in v), default=0.0)
            return sum(abs(x) ** p for x in v) ** (1.0 / p)

        def f(a, b):
            if any(x is None for x in a) or (isinstance(b, list) and any(x is None for x in b)):
                return None
            if isinstance(b, list) and len(a) != len(b):
                from ember.errors import SparkRuntimeException
                raise SparkRuntimeException("VECTOR_DIMENSION_MISMATCH", functionName=f"`{name}`",
                                            leftDim=str(len(a)), rightDim=str(len(b)))
            if name == "vector_inner_product":
                return float(np.float32(sum(x * y for x, y in zip(a, b))))
            if name == "vector_l2_distance":
                return float(np.float32(math.sqrt(sum((x - y) ** 2 for x, y in zip(a, b)))))
            if name == "vector_cosine_similarity":
                na, nb = math.sqrt(sum(x * x for x in a)), math.sqrt(sum(y * y for y in b))
                if na == 0 or nb == 0:
                    return None
                return float(np.float32(sum(x * y for x, y in zip(a, b)) / (na * nb)))
            if name == "vector_norm":
                return float(np.float32(norm(a, b)))
            nv = norm(a, b)
            if nv == 0:
                return None
            return [float(np.float32(x / nv)) for x in a]
        from ember.engine.functions.scalar_base import rowwise
        return rowwise(f, args, T.to_arrow(self.data_type))


def _vector_builder(name):
    cls = type("Vector_" + name, (VectorFunction,), {"name": name})

    def build(args, call):
        if name in ("vector_norm", "vector_normalize"):
            arity(name, args, 1, 2)
            if len(args) == 1:
                args = list(args) + [Literal(2.0, T.FloatType())]
        else:
            arity(name, args, 2)
        return cls(*args)
    return build


for _name in ("vector_inner_product", "vector_cosine_similarity", "vector_l2_distance",
              "vector_norm", "vector_normalize"):
    builtin(_name, group="vector_funcs")(_vector_builder(_name))
