import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { App } from './App';
import { CONSOLE_BASE } from './auth/ConsoleConfig';
import './styles.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <BrowserRouter basename={CONSOLE_BASE}>
      <App />
    </BrowserRouter>
  </StrictMode>,
);
