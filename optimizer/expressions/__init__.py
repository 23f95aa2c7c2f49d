"""Expression nodes. Import the common ones from here: `from ember.optimizer.expressions import *`."""
from ember.optimizer.expressions.base import (Expression, LeafExpression, UnaryExpression,
                                              BinaryExpression, BinaryOperator, pretty)
from ember.optimizer.expressions.named import (NamedExpression, Attribute, AttributeReference,
                                               Alias, PrettyAttribute, OuterReference,
                                               new_expr_id)
from ember.optimizer.expressions.literals import Literal, TRUE, FALSE, null_of
from ember.optimizer.expressions.unresolved import (UnresolvedAttribute, UnresolvedStar,
                                                    UnresolvedFunction, UnresolvedAlias,
                                                    UnresolvedOrdinal, UnresolvedExtractValue)
from ember.optimizer.expressions.arithmetic import (BinaryArithmetic, Add, Subtract, Multiply,
                                                    Divide, IntegralDivide, Remainder, Pmod,
                                                    UnaryMinus, UnaryPositive)
from ember.optimizer.expressions.predicates import (Predicate, BinaryComparison, EqualTo,
                                                    EqualNullSafe, LessThan, LessThanOrEqual,
                                                    GreaterThan, GreaterThanOrEqual, And, Or,
                                                    Not, IsNull, IsNotNull, In, split_conjuncts,
                                                    combine_conjuncts)
from ember.optimizer.expressions.cast import Cast
from ember.optimizer.expressions.conditional import If, CaseWhen, Coalesce, RuntimeReplaceable
from ember.optimizer.expressions.aggregates import (AggregateFunction, AggregateExpression,
                                                    Count, Sum, Average, Min, Max)
from ember.optimizer.expressions.ordering import SortOrder
from ember.optimizer.expressions.functions import ScalarFunction
