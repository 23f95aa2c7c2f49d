"""The analyzer: resolution, type coercion and checks (Spark's Analyzer + CheckAnalysis)."""
from ember.optimizer.analyzer.analyzer import Analyzer, resolve_plan
from ember.optimizer.analyzer.context import AnalysisContext

__all__ = ["Analyzer", "AnalysisContext", "resolve_plan"]
