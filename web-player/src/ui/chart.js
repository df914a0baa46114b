// @ts-check
/**
 * A small live line chart on a canvas: the last N values of a few series, auto-scaled.
 */
export class LiveChart {
  /**
   * @param {{ label: string, color: string }[]} series
   * @param {number} [points]
   */
  constructor(series, points = 120) {
    this.series = series;
    this.points = points;
    /** @type {number[][]} */
    this.values = series.map(() => []);
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'tc-chart';
    this.canvas.width = 480;
    this.canvas.height = 120;
  }

  /** @param {number[]} sample one value per series */
  add(sample) {
    sample.forEach((v, i) => {
      this.values[i].push(v);
      if (this.values[i].length > this.points) this.values[i].shift();
    });
    this.draw();
  }

  draw() {
    const c = /** @type {CanvasRenderingContext2D} */ (this.canvas.getContext('2d'));
    const { width, height } = this.canvas;
    c.clearRect(0, 0, width, height);
    const finite = this.values.flat().filter(Number.isFinite);
    const top = Math.max(50, ...finite) * 1.15;
    c.strokeStyle = 'rgba(255,255,255,0.08)';
    c.fillStyle = 'rgba(255,255,255,0.45)';
    c.font = '20px system-ui, sans-serif';
    c.lineWidth = 1;
    for (const frac of [0.25, 0.5, 0.75]) {
      const y = height - frac * height;
      c.beginPath();
      c.moveTo(0, y);
      c.lineTo(width, y);
      c.stroke();
    }
    c.fillText(`${Math.round(top)} ms`, 6, 22);
    this.values.forEach((values, i) => {
      c.strokeStyle = this.series[i].color;
      c.lineWidth = 3;
      c.beginPath();
      let started = false;
      const offset = this.points - values.length; // newest value at the right edge
      values.forEach((v, k) => {
        if (!Number.isFinite(v)) return;
        const x = ((k + offset) / (this.points - 1)) * width;
        const y = height - (v / top) * height;
        if (started) c.lineTo(x, y);
        else c.moveTo(x, y);
        started = true;
      });
      c.stroke();
    });
  }
}
