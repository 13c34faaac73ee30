/* Remember the language the reader last read in, for the root language chooser. */
try { localStorage.setItem("loa.lang", document.documentElement.lang); } catch (e) { /* storage off */ }
