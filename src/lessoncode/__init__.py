"""Code behind the lessoncode answers to fast.ai lesson 4 questions."""

from importlib.metadata import version

__version__ = version("lessoncode")
