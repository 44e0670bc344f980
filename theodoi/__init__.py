"""theodoi: keep the provincial cadres' follow-up of communes honest.

The package is layered: loaders (registers, visits_store) read files into
plain records and problems; rules check them; reports compute tables; the
``cli`` package only parses options, calls those functions and renders.
"""

__version__ = "0.1.0"
