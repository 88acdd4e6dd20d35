// The performer's control page (placeholder until the page lands).
document.body.textContent = 'Synesthete';
