"""What the site build and the comment receiver agree on.

The comment file format (`comment_file`), the text a comment may contain
(`text`), the checks that replies point at real comments (`replies`) and the
renderer and sanitizer that turn a comment body into safe HTML (`render`). This package imports neither Pelican nor the web
framework, so the receiver can use it without the build and the build without
the receiver.
"""
