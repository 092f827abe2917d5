"""citylake data standards (数据标准): data elements, code sets, validators (SQL macros + Python), 一数一源 checks.

See docs/standards.md.
"""
