// Opens a figure over the whole screen, on the page's own background, in a modal
// dialog: Escape, a click anywhere or the close button close it, and the figure's
// link gets the focus back. Without this script the link opens the SVG itself.
(() => {
  let dialog = null;

  const make = () => {
    const box = document.createElement("dialog");
    box.className = "lc-lightbox";
    box.setAttribute("aria-label", "Figure, enlarged");
    const close = document.createElement("button");
    close.className = "lc-lightbox__close";
    close.type = "button";
    close.setAttribute("aria-label", "Close");
    close.textContent = "×";
    box.append(close, document.createElement("img"));
    box.addEventListener("click", () => box.close());
    document.body.append(box);
    return box;
  };

  const open = (figure) => {
    dialog ??= make();
    const image = dialog.querySelector("img");
    image.alt = figure.alt;
    const [width, height] = ["width", "height"].map((s) => figure.getAttribute(s));
    image.width = width;  // the figure's own size, which the build gives every figure
    image.height = height;
    image.style.setProperty("--lc-ratio", width / height);
    image.src = figure.currentSrc || figure.src;
    dialog.showModal();
  };

  document.addEventListener("click", (event) => {
    const link = event.target.closest("a.lc-figure");
    const plain = !(event.ctrlKey || event.metaKey || event.shiftKey || event.altKey);
    if (!link || event.button !== 0 || !plain) {
      return;
    }
    event.preventDefault();
    open(link.querySelector("img"));
  });
})();
