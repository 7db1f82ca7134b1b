import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { startTelegram } from './telegram/environment';
import './styles.css';

const launch = startTelegram();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App initData={launch.initData} />
  </StrictMode>,
);
