// Opens a figure in GLightbox, which mkdocs-glightbox ships with the site. It is
// loaded on the first click on a figure, so that pages do not carry it.
(() => {
  const assets = new URL("../assets/", document.currentScript.src);
  let loading = null;

  const load = () => {
    const style = document.createElement("link");
    style.rel = "stylesheet";
    style.href = new URL("stylesheets/glightbox.min.css", assets);
    document.head.append(style);
    const script = document.createElement("script");
    script.src = new URL("javascripts/glightbox.min.js", assets);
    document.head.append(script);
    return new Promise((resolve, reject) => {
      script.onload = () => resolve(GLightbox({ selector: ".glightbox" }));
      script.onerror = reject;
    });
  };

  document.addEventListener("click", (event) => {
    const link = event.target.closest("a.glightbox");
    if (!link || loading || event.button !== 0 || event.ctrlKey || event.metaKey) {
      return;
    }
    event.preventDefault();
    loading = load().then(() => link.click());  // now GLightbox handles the click
  });
})();
