"""Text: a document -> paragraphs with exact spans (Markdown, HTML, reStructuredText, plain),
structure that is never compared, and the tokens and words paragraphs are compared by.
"""
