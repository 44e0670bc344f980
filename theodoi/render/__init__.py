"""Renderers turn results into text for people or machines; they compute nothing."""
