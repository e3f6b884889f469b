"""Run the Python on the site's pages and keep the outputs they show true."""
