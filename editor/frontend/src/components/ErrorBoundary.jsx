// Keeps a crash inside one area (panel, code view) from blanking the whole editor.
import { Component } from 'react';

export default class ErrorBoundary extends Component {
  constructor(props) {
    super(props);
    this.state = { error: null };
  }

  static getDerivedStateFromError(error) {
    return { error };
  }

  render() {
    if (this.state.error) {
      return (
        <div className="banner err" data-testid="area-error">
          {this.props.label || 'This area'} failed: {String(this.state.error.message || this.state.error)}{' '}
          <button type="button" onClick={() => this.setState({ error: null })}>retry</button>
        </div>
      );
    }
    return this.props.children;
  }
}
