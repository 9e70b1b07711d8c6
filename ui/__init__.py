"""Streamlit-side helpers shared by the pages (language, cached loaders, error display).

This is the only package besides `pages/` and `streamlit_app.py` that imports
streamlit; `core` never does.
"""
