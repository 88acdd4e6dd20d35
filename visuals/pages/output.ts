// The projector output page (placeholder until the renderer lands).
document.body.style.background = 'black';
